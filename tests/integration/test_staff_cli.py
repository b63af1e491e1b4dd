"""`restaurant staff add | list | remove` on a real database, phones read as sign-in reads them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from restaurant.cli import main


def test_staff_cli_adds_lists_and_removes(
    make_database: Callable[[str], str], tmp_path: Path
) -> None:
    env = {"DB__URL": make_database("staff_cli"), "DATA_DIR": str(tmp_path)}

    def run(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(main, ["staff", *args], env=env)
        return result.exit_code, result.output

    assert run("list") == (0, "no staff members yet: add one with `restaurant staff add`\n")
    code, out = run("add", "(212) 555-0199", "--name", " Kim  Lee ", "--role", "kitchen")
    assert (code, out) == (0, "added: +12125550199 Kim Lee (kitchen)\n")
    code, out = run("add", "+1 212 555 0100", "--name", "Mona", "--role", "manager")
    assert code == 0, out
    # The same phone again, however written, changes the name and role of the one member.
    code, out = run("add", "212.555.0199", "--name", "Kim Lee", "--role", "manager")
    assert (code, out) == (0, "updated: +12125550199 Kim Lee (manager)\n")
    assert run("list") == (0, "+12125550199\tmanager\tKim Lee\n+12125550100\tmanager\tMona\n")

    code, out = run("add", "12", "--name", "X", "--role", "kitchen")
    assert code != 0 and "wrong number of digits" in out
    code, out = run("add", "2125550123", "--name", "X", "--role", "chef")
    assert code != 0 and "'chef' is not one of 'kitchen', 'manager'" in out
    code, out = run("add", "2125550123", "--name", "  ", "--role", "kitchen")
    assert code != 0 and "needs a name" in out

    assert run("remove", "212-555-0199") == (0, "removed: +12125550199\n")
    code, out = run("remove", "212-555-0199")
    assert code == 1 and "+12125550199 is not a staff member" in out
    assert run("list") == (0, "+12125550100\tmanager\tMona\n")
