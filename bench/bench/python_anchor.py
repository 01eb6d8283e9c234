"""The Python anchor: the same 6-turn agent through temporalio's OpenAI Agents integration.

Started by `steadfast bench` with TEMPORAL_ADDRESS, OPENAI_BASE_URL, BENCH_LATENCIES (JSON list of
ms), BENCH_TOOLS (JSON list of "activity" and/or "local") and BENCH_REPEATS; it runs a worker and a
client in one process (as the TypeScript bench does with its worker child) and prints one JSON line
of wall times per run, per latency and tool kind. "activity": the tools through the integration's
activity_as_tool (regular activities); "local": each tool a function tool that runs its activity
as a local activity, the shape steadfast's bench agent has with `tools: 'local'`.
The harness sets the model server's latency over HTTP between series.
"""
import asyncio
import json
import os
import time
import urllib.request
import uuid
from datetime import timedelta

from agents import Agent, FunctionTool, Runner
from temporalio import activity, workflow
from temporalio.client import Client
from temporalio.contrib.openai_agents import ModelActivityParameters, OpenAIAgentsPlugin
from temporalio.contrib.openai_agents import workflow as agents_workflow
from temporalio.worker import Worker


def make_step(n: int):
    async def step() -> dict:
        return {"step": n, "ok": True}

    # The tool name comes from the function name: give each step its own, like the TypeScript tools.
    step.__name__ = step.__qualname__ = f"benchStep{n}"
    step.__doc__ = f"Step {n} of 5 of the checklist. Call it once."
    return activity.defn(name=f"benchStep{n}")(step)


STEPS = [make_step(n) for n in range(1, 6)]
NO_PARAMS = {"type": "object", "properties": {}, "required": [], "additionalProperties": False}


def local_tool(step) -> FunctionTool:
    async def invoke(_ctx, _args: str) -> str:
        result = await workflow.execute_local_activity(step, start_to_close_timeout=timedelta(seconds=10))
        return json.dumps(result)

    return FunctionTool(name=step.__name__, description=step.__doc__, params_json_schema=NO_PARAMS,
                        on_invoke_tool=invoke, strict_json_schema=True)


@workflow.defn
class BenchAgentPy:
    @workflow.run
    async def run(self, prompt: str, kind: str) -> int:
        if kind == "local":
            tools = [local_tool(s) for s in STEPS]
        else:
            tools = [agents_workflow.activity_as_tool(s, start_to_close_timeout=timedelta(seconds=10)) for s in STEPS]
        agent = Agent(
            name="Bench",
            instructions="Call each of the five step tools once, in order, then answer in one sentence with what they returned.",
            tools=tools,
        )
        result = await Runner.run(agent, prompt, max_turns=10)
        return result.context_wrapper.usage.requests


def set_latency(ms: int) -> None:
    base = os.environ["OPENAI_BASE_URL"].rsplit("/v1", 1)[0]
    req = urllib.request.Request(f"{base}/_steadfast/config", data=json.dumps({"latencyMs": ms}).encode(), method="POST",
                                 headers={"content-type": "application/json"})
    urllib.request.urlopen(req).read()


async def main() -> None:
    plugin = OpenAIAgentsPlugin(model_params=ModelActivityParameters(start_to_close_timeout=timedelta(minutes=2)))
    client = await Client.connect(os.environ["TEMPORAL_ADDRESS"], plugins=[plugin])
    queue = f"bench-py-{uuid.uuid4().hex[:8]}"
    repeats = int(os.environ.get("BENCH_REPEATS", "5"))
    kinds = json.loads(os.environ.get("BENCH_TOOLS", '["activity"]'))
    out = {}
    async with Worker(client, task_queue=queue, workflows=[BenchAgentPy], activities=STEPS):
        for latency in json.loads(os.environ.get("BENCH_LATENCIES", "[0]")):
            set_latency(latency)
            samples = {k: [] for k in kinds}
            requests = {k: 0 for k in kinds}
            for i in range(repeats + 1):  # the first round warms up and is dropped
                for kind in kinds:  # alternating, so drift hits both kinds alike
                    t0 = time.perf_counter()
                    requests[kind] = await client.execute_workflow(
                        BenchAgentPy.run, args=["Run the five-step checklist.", kind],
                        id=f"bench-py-{uuid.uuid4().hex}", task_queue=queue)
                    if i > 0:
                        samples[kind].append((time.perf_counter() - t0) * 1000)
            out[str(latency)] = {k: {"samples": samples[k], "requests": requests[k]} for k in kinds}
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
