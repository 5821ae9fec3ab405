"""The README's commands work when pasted: every `quanze` command it shows parses with the real parser
(its subcommand and options exist), the ones that need no server run, and its `curl` commands, run by
curl as the shell would split them, get answers with data from a real `quanze serve` configured as the
README says."""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api.cli import _parser, main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
#: the commands that need neither a server, nor Neo4j, nor an earlier command's ledger: run as written
RUN = {"demo", "check", "query"}
SEPARATORS = {"&&", "||", ";", "|"}
ASSIGNMENT = re.compile(r"^[A-Z_][A-Z0-9_]*=")


def _blocks() -> list[str]:
    return re.findall(r"^```sh\n(.*?)^```", README, flags=re.DOTALL | re.MULTILINE)


def _lines(block: str) -> Iterator[str]:
    """The block's commands as the shell reads them: a trailing backslash continues a line, and so does
    a quotation not yet closed."""
    pending = ""
    for line in block.splitlines():
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        pending += line
        try:
            shlex.split(pending, comments=True)
        except ValueError:  # "No closing quotation": the quoted text goes on on the next line
            pending += "\n"
            continue
        yield pending
        pending = ""
    assert not pending, f"a README command never ends: {pending!r}"


def _commands(line: str) -> Iterator[tuple[dict[str, str], list[str]]]:
    """The simple commands of one line (split at &&, ;, |), each with its environment assignments."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    command: list[str] = []
    for token in [*lexer, ";"]:
        if token not in SEPARATORS:
            command.append(token)
            continue
        environment = {}
        while command and ASSIGNMENT.match(command[0]):
            name, _, value = command.pop(0).partition("=")
            environment[name] = value
        if command:
            yield environment, command
        command = []


def _shown(program: str) -> list[tuple[dict[str, str], list[str]]]:
    return [
        (environment, argv)
        for block in _blocks()
        for line in _lines(block)
        for environment, argv in _commands(line)
        if argv[0] == program
    ]


def _options(command: str) -> set[str]:
    """The option strings of `quanze command`."""
    (subcommands,) = [a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction)]
    parser = subcommands.choices[command]
    return {option for action in parser._actions for option in action.option_strings}


def test_the_readme_shows_quanze_and_curl_commands() -> None:
    assert len(_shown("quanze")) >= 10 and len(_shown("curl")) >= 2


@pytest.mark.parametrize("argv", [argv for _, argv in _shown("quanze")], ids=shlex.join)
def test_every_quanze_command_shown_parses(argv: list[str]) -> None:
    args = _parser().parse_args(argv[1:])  # argparse exits on an unknown command or option
    assert hasattr(args, "run")


def test_the_quanze_commands_that_need_no_server_run_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # `quanze demo --out mydata` writes where the user stands
    ran = set()
    for _, argv in _shown("quanze"):
        if argv[1] not in RUN:
            continue
        shipped = [str(ROOT / arg) if (ROOT / arg).is_file() else arg for arg in argv[1:]]  # the demo
        assert main(shipped) == 0, capsys.readouterr().err
        printed = capsys.readouterr().out
        if argv[1] == "query":
            response = json.loads(printed)
            assert "errors" not in response and None not in response["data"].values(), response
        ran.add(argv[1])
    assert ran == RUN


def test_the_commands_table_names_options_each_command_has() -> None:
    rows = re.findall(r"^\| `quanze ([^`]+)` \|", README, flags=re.MULTILINE)
    inline = re.findall(r"`quanze ([a-z][^`]*)`", README)
    assert len(rows) >= 15
    for synopsis in [*rows, *inline]:
        names, _, rest = synopsis.replace("\\|", "|").partition(" ")
        for name in names.split("|"):
            missing = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", rest)) - _options(name)
            assert not missing, f"quanze {name} has no {sorted(missing)} (README: quanze {synopsis})"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`quanze serve` on the demo, its tokens configured as the README configures them, on a free port."""
    (digest_command,) = [argv for _, argv in _shown("python3") if "hash_token" in " ".join(argv)]
    digest = subprocess.run(digest_command, capture_output=True, text=True, check=True).stdout.strip()
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    (tokens,) = [env["QUANZE_TOKENS"] for env, argv in _shown("quanze") if "QUANZE_TOKENS" in env]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    folder = tmp_path_factory.mktemp("readme")
    environment = {
        **os.environ,
        "QUANZE_TOKENS": tokens.replace("<that digest>", digest),
        "QUANZE_LEDGER": str(folder / "ledger.sqlite3"),  # never the user's own
    }
    with (folder / "serve.log").open("w+", encoding="utf-8") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
            stdout=log,
            stderr=log,
            env=environment,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    httpx.get(f"{base}/health", timeout=2)
                    break
                except httpx.TransportError:
                    assert server.poll() is None, (folder / "serve.log").read_text(encoding="utf-8")
                    assert time.monotonic() < deadline, "quanze serve did not answer within 90 s"
                    time.sleep(0.3)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=20)


CURLS = [argv for _, argv in _shown("curl")]


@pytest.mark.parametrize("argv", CURLS, ids=[f"curl {n + 1}" for n in range(len(CURLS))])
def test_every_curl_shown_sends_json_and_gets_data(argv: list[str], served: str) -> None:
    body = argv[argv.index("-d") + 1]
    sent = json.loads(body)  # the body as the shell passes it: valid JSON, raw line breaks between members
    assert set(sent) <= {"query", "variables", "operationName"}
    curl = shutil.which("curl")
    assert curl, "no curl: the README's commands need it (apt-get install curl)"
    pasted = [arg.replace("http://127.0.0.1:8000", served) for arg in argv[1:]]
    result = subprocess.run(
        [curl, *pasted, "-w", "\n%{http_code}"], capture_output=True, text=True, timeout=60, check=True
    )
    answer, status = result.stdout.rsplit("\n", 1)
    assert status == "200", answer
    response = json.loads(answer)
    assert "errors" not in response, response
    assert all(value is not None for value in response["data"].values()), response
