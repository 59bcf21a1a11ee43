"""CPU per request of a real `resolutions serve` under N closed-loop clients, for variants of
its environment side by side (A B B A ...): throughput, p95, the server's CPU ms per request
(utime + stime of the process from /proc, ONNX Runtime's pool threads included) and the load
client's own CPU ms per request (it shares the machine).

    .venv/bin/python bench/load/server_cpu.py --home H --variant base: \
        --variant one-thread:RESOLUTIONS_X=1 --clients 32 --duration 15 --rounds 2
    .venv/bin/python bench/load/server_cpu.py --home H --variant base: --py-spy /tmp/flame.txt

``--py-spy OUT`` records the first variant's server with py-spy (``--format raw``, collapsed
stacks, every thread, GIL or not) during its first phase.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import free_port, phase, questions, start_server, wait_ready

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, required=True, help="an ingested data directory")
    parser.add_argument(
        "--variant",
        action="append",
        required=True,
        help="NAME:KEY=VALUE,KEY=VALUE (environment of the server; 'base:' for none)",
    )
    parser.add_argument("--endpoint", default="search")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--py-spy", type=Path, default=None)
    args = parser.parse_args()

    variants: list[tuple[str, dict[str, str]]] = []
    for spec in args.variant:
        name, _, pairs = spec.partition(":")
        env = dict(pair.split("=", 1) for pair in pairs.split(",") if pair)
        variants.append((name, env))
    tmp = Path(tempfile.mkdtemp(prefix="server-cpu-"))
    print(f"load average before {os.getloadavg()}")
    print("| round | variant | req/s | p50 ms | p95 ms | server CPU ms/req | client CPU ms/req |")
    print("|---|---|---|---|---|---|---|")
    for round_ in range(args.rounds):
        order = variants if round_ % 2 == 0 else variants[::-1]
        for name, env in order:
            saved = {key: os.environ.get(key) for key in env}
            os.environ.update(env)
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            server = start_server(args.home, port, tmp / f"{name}-{round_}.log")
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
            spy = None
            try:
                wait_ready(base, server)
                for _ in range(20):
                    httpx.get(f"{base}/search", params={"q": f"warm {_}"}, timeout=60)
                if args.py_spy and round_ == 0 and name == variants[0][0]:
                    spy = subprocess.Popen(
                        [
                            shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy"),
                            "record",
                            "--pid",
                            str(server.pid),
                            "--format",
                            "raw",
                            "--threads",
                            "--rate",
                            "200",
                            "--output",
                            str(args.py_spy),
                            "--duration",
                            str(int(args.duration)),
                        ],
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                    )
                server_cpu = cpu_seconds(server.pid)
                client_cpu = time.process_time()
                result = asyncio.run(
                    phase(
                        base,
                        args.endpoint,
                        args.clients,
                        args.duration,
                        questions(),
                        round_ * 1000 + 7,
                    )
                )
                client_cpu = time.process_time() - client_cpu
                server_cpu = cpu_seconds(server.pid) - server_cpu
                if spy:
                    spy.wait(timeout=args.duration + 60)
            finally:
                server.terminate()
                server.wait(timeout=20)
            count = max(1, result["ok"] + result["errors"])
            print(
                f"| {round_ + 1} | {name} | {result['throughput_rps']} | {result['p50_ms']} | "
                f"{result['p95_ms']} | {server_cpu * 1000 / count:.1f} | "
                f"{client_cpu * 1000 / count:.1f} |",
                flush=True,
            )
    print(f"load average after {os.getloadavg()}")


if __name__ == "__main__":
    main()
