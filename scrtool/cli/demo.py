from __future__ import annotations

from pathlib import Path

import click

from scrtool.cli._common import echo, emit_json, json_option, note


@click.command("demo")
@click.argument("directory", type=click.Path(path_type=Path), default="scr-demo")
@json_option
def command(directory: Path, as_json: bool) -> object:
    """Run every step on a fictional sample case ("Child A", Northshire).

    Makes DIRECTORY (default scr-demo, which must be new or empty) from the bundled
    samples, then collates the agencies' returns and runs each later step, saying what it
    made and where. Exit 1 when a step did not run cleanly. Nothing in the sample is
    about a real person.

    \b
    Example:
      scrtool demo scr-demo
    """
    from scrtool.demo import StepResult, run_demo

    def show(step: StepResult) -> None:
        lines = [f"{step.step}: {step.summary}"] + [f"  {p}" for p in step.outputs]
        for line in lines:
            (note if as_json else echo)(line)

    result = run_demo(directory, on_step=show)
    if as_json:
        emit_json(result)
    else:
        echo()
        if result.failed:
            names = ", ".join(s.step for s in result.failed)
            echo(
                f"{len(result.steps) - len(result.failed)} of {len(result.steps)} steps ran "
                f"cleanly; see above for {names}."
            )
        else:
            echo(f"All {len(result.steps)} steps ran cleanly.")
        echo(f"The demo case is in {result.case_dir}.")
    return result
