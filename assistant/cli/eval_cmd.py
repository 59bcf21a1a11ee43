"""``resolutions eval``: the evaluation suite (metrics beside baselines, report, gate)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from assistant.cli.common import UserError, print_json, settings_from, stderr, user_errors

FAMILY_NAMES = ("retrieval", "answers", "alignment", "drafting", "revision", "chat", "layout")


@click.command("eval")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on stdout.")
@click.option(
    "--report",
    "report_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for report.md, report.json, charts (default: evals/reports/<date>/).",
)
@click.option(
    "--check",
    "baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Compare with a baseline JSON; exit 1 on a regression.",
)
@click.option(
    "--only",
    default="",
    metavar="FAMILIES",
    help=f"Comma-separated subset of: {', '.join(FAMILY_NAMES)}.",
)
@click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Folder of eval data files (default: evals/data/).",
)
@click.option(
    "--corpus",
    "corpus_paths",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="Files or folders to evaluate on (default: corpus/ and the seed).",
)
@click.option(
    "--with-llm",
    is_flag=True,
    help="Also score answers and drafts with the language model of RESOLUTIONS_LLM_* "
    "(systems assistant_llm, assistant_smoothed; slow).",
)
@click.pass_context
@user_errors
def eval_command(
    ctx: click.Context,
    as_json: bool,
    report_dir: Path | None,
    baseline: Path | None,
    only: str,
    data_dir: Path | None,
    corpus_paths: tuple[Path, ...],
    with_llm: bool,
) -> None:
    """Score retrieval, answers, alignment, drafting and chat routing against curated data,
    beside baselines measured in the same run, and write a report with charts.

    The run builds its own index in a temporary data directory (it never touches yours).
    With --check, exits 1 and lists the metrics that fell below the baseline's tolerance.
    """
    from evals import check, report, runner
    from evals.datasets import DATA_DIR

    selected = [name.strip() for name in only.split(",") if name.strip()]
    unknown = [name for name in selected if name not in FAMILY_NAMES]
    if unknown:
        raise UserError(f"unknown metric families {unknown}; choose from {list(FAMILY_NAMES)}")
    stored = check.load_baseline(baseline) if baseline else None
    files = _expand(corpus_paths) if corpus_paths else None
    settings = settings_from(ctx)
    chat_model = None
    if with_llm:
        from assistant.chat_model import chat_model_from_settings

        chat_model = chat_model_from_settings(settings)
        if chat_model is None:
            raise UserError(
                "--with-llm needs a language model: set RESOLUTIONS_LLM_PROVIDER (openai or "
                "ollama), RESOLUTIONS_LLM_BASE_URL and RESOLUTIONS_LLM_MODEL"
            )
    run = runner.run(
        settings,
        paths=files,
        data_dir=data_dir or DATA_DIR,
        only=selected or None,
        progress=stderr,
        chat_model=chat_model,
    )
    folder = report_dir or (
        Path(__file__).resolve().parents[2] / "evals" / "reports" / dt.date.today().isoformat()
    )
    path = report.write(run, folder)
    stderr(f"report: {path}")
    if as_json:
        print_json(run.to_json(details=False))
    else:
        for family in run.families:
            status = "" if family.status == "ok" else f" [{family.status}: {family.reason}]"
            click.echo(f"{family.name}{status}")
            for system, metrics in family.metrics.items():
                shown = ", ".join(
                    f"{k}={v:.3f}"
                    if v is not None and v <= 1
                    else f"{k}={v if v is None else round(v, 1)}"
                    for k, v in metrics.items()
                )
                click.echo(f"  {system}: {shown}")
    if stored is not None:
        excused = [
            prefix
            for family in run.families
            for prefix in family.breakdown.get("not_gated", [])
            if isinstance(prefix, str)
        ]
        regressions = check.check(run.summary(), stored, selected or None, excused)
        if regressions:
            stderr(f"REGRESSION: {len(regressions)} metric(s) below {baseline}:")
            for item in regressions:
                stderr(f"  {item}")
            ctx.exit(1)
        stderr(f"check passed: {len(stored['metrics'])} metrics at or above {baseline}")


def _expand(paths: tuple[Path, ...]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(p for p in path.iterdir() if p.suffix.lower() in (".txt", ".md", ".docx"))
            )
        else:
            files.append(path)
    if not files:
        raise UserError("no .txt, .md or .docx files in the --corpus paths given")
    return files


commands = [eval_command]
