"""docker-compose.yml is a Compose file a Docker client accepts (no Docker engine runs here: the file is
checked with the client's own parser, `docker compose config`, or the older `docker-compose config`)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _compose() -> list[str]:
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    assert legacy, (
        "no Compose client: install Docker's compose plugin or Debian's docker-compose (.ci/run does)"
    )
    return [legacy]


def test_the_compose_file_parses_and_wires_quanze_to_neo4j() -> None:
    result = subprocess.run([*_compose(), "config"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    config = yaml.safe_load(result.stdout)
    neo4j, quanze = config["services"]["neo4j"], config["services"]["quanze"]
    assert neo4j["image"].startswith("neo4j:5.26")
    assert "healthcheck" in neo4j and "healthcheck" in quanze
    assert any(volume.endswith(":/data:rw") or volume.endswith(":/data") for volume in neo4j["volumes"])
    assert quanze["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert quanze["environment"]["NEO4J_URI"] == "bolt://neo4j:7687"
    assert "--store neo4j" in " ".join(quanze["command"])
    assert (ROOT / "Dockerfile").is_file()
