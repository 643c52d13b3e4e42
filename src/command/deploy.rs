//! `make-feed deploy`: the plan, the progress and the report of a deploy,
//! and of the WebSub notifications after it.

use std::io::{self, Write};
use std::process::ExitCode;

use indicatif::HumanBytes;
use url::Url;

use super::build::progress_bar;
use crate::cli::DeployArgs;
use crate::error::{Diagnostic, Error};
use crate::input;
use crate::model::Channel;
use crate::output::deploy::{ping, Action, Deployment, Kind, Plan, Step};

pub(super) fn run(args: &DeployArgs) -> io::Result<ExitCode> {
    let stderr = &mut io::stderr();
    let deployed = input::read_site(&args.data).and_then(|(site, _)| {
        let target = args.to.clone().or_else(|| site.channel.deploy.clone());
        let target = target.ok_or_else(|| {
            Error::from(
                Diagnostic::new(&site.config_path, "names no place to deploy to")
                    .help("give --to s3://bucket/prefix (or gs://, az://, file:///…), or set deploy = \"…\" in feed.toml"),
            )
        })?;
        let deployment = Deployment::open(&args.out, &target, args.endpoint.as_ref(), &|m| {
            eprintln!("{m}");
        })?;
        Ok((site.channel, target, deployment))
    });
    let (channel, target, deployment) = match deployed {
        Ok(ready) => ready,
        Err(error) => {
            writeln!(stderr, "error: {error}")?;
            writeln!(stderr, "nothing was deployed")?;
            return Ok(ExitCode::FAILURE);
        }
    };
    let plan = deployment.plan();
    let stdout = &mut io::stdout();
    if args.dry_run {
        for step in &plan.steps {
            writeln!(stdout, "{}", step_line(step))?;
        }
        writeln!(
            stderr,
            "dry run for {target}: {}; nothing was changed",
            summary(&plan, "would upload", "would delete")
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let bar = progress_bar();
    bar.set_length(plan.steps.len() as u64);
    bar.set_message("deploying");
    let ran = deployment.run(&plan, &|step| {
        bar.suspend(|| println!("{}", step_line(step)));
        bar.inc(1);
    });
    bar.finish_and_clear();
    if let Err(error) = ran {
        writeln!(stderr, "error: {error}")?;
        writeln!(
            stderr,
            "the deploy stopped part way: {target} still serves a whole site (the previous one, with some of the new files); deploy again to finish it"
        )?;
        return Ok(ExitCode::FAILURE);
    }
    writeln!(
        stderr,
        "deployed {} to {target}: {}",
        args.out.display(),
        summary(&plan, "uploaded", "deleted")
    )?;
    if args.no_ping {
        return Ok(ExitCode::SUCCESS);
    }
    notify_hubs(stderr, &channel, &plan)
}

/// Tells the hubs of every main and category feed the deploy changed.
fn notify_hubs(w: &mut dyn Write, channel: &Channel, plan: &Plan) -> io::Result<ExitCode> {
    let feeds: Vec<Url> = plan
        .steps
        .iter()
        .filter(|step| step.kind == Kind::Feed && step.action != Action::Delete)
        .map(|step| channel.url_of(&step.path))
        .collect();
    let mut code = ExitCode::SUCCESS;
    for ping in ping::ping(&channel.hubs, &feeds) {
        match &ping.outcome {
            Ok(status) => writeln!(w, "notified {} of {} ({status})", ping.hub, ping.feed)?,
            Err(why) => {
                writeln!(
                    w,
                    "error: {} was not told of {}: {why} ({} of {} attempts)",
                    ping.hub,
                    ping.feed,
                    ping.attempts,
                    ping::ATTEMPTS
                )?;
                code = ExitCode::FAILURE;
            }
        }
    }
    if code == ExitCode::FAILURE {
        writeln!(
            w,
            "the site is deployed; subscribers of the feeds above will see the news at their next poll"
        )?;
    }
    Ok(code)
}

/// One step as the plan lists it: action, kind, size in bytes, path.
fn step_line(step: &Step) -> String {
    format!(
        "{:<8}{:<8}{:>10}  {}",
        step.action.label(),
        step.kind.label(),
        step.size,
        step.path
    )
}

fn summary(plan: &Plan, uploaded: &str, deleted: &str) -> String {
    let (mut uploads, mut upload_bytes, mut deletions) = (0, 0, 0);
    for step in &plan.steps {
        match step.action {
            Action::Add | Action::Replace => {
                uploads += 1;
                upload_bytes += step.size;
            }
            Action::Delete => deletions += 1,
        }
    }
    format!(
        "{uploaded} {uploads} ({}), {deleted} {deletions}, {} unchanged",
        HumanBytes(upload_bytes),
        plan.unchanged
    )
}
