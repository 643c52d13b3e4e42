// Reads a feed with gofeed (Debian's golang-github-mmcdole-gofeed-dev) and
// prints what it shows, as JSON, in the shape of ../read.py.
//
// Usage: gofeed URL. Part of the reader matrix (tests/matrix.rs).
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/mmcdole/gofeed"
)

type entry struct {
	Title        string   `json:"title"`
	Link         string   `json:"link"`
	ID           string   `json:"id"`
	Published    *int64   `json:"published"`
	PublishedRaw string   `json:"published_raw"`
	Authors      []string `json:"authors"`
	Categories   []string `json:"categories"`
	Content      string   `json:"content"`
}

func main() {
	feed, err := gofeed.NewParser().ParseURL(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "gofeed:", err)
		os.Exit(1)
	}
	entries := []entry{}
	for _, item := range feed.Items {
		e := entry{
			Title:        item.Title,
			Link:         item.Link,
			ID:           item.GUID,
			PublishedRaw: item.Published, // as written, offset and all
			Authors:      []string{},
			Categories:   item.Categories,
			Content:      item.Content,
		}
		if item.PublishedParsed != nil {
			seconds := item.PublishedParsed.Unix()
			e.Published = &seconds
		}
		if item.Authors != nil {
			for _, author := range item.Authors {
				e.Authors = append(e.Authors, author.Name)
			}
		} else if item.Author != nil {
			e.Authors = append(e.Authors, item.Author.Name)
		}
		if e.Categories == nil {
			e.Categories = []string{}
		}
		entries = append(entries, e)
	}
	json.NewEncoder(os.Stdout).Encode(map[string][]entry{"entries": entries})
}
