#!/usr/bin/env python3
"""bench/jfr-top.py - where the samples of a flight recording went, ranked.

Usage: jfr-top.py RECORDING.jfr [THREAD] [N]
Reads the execution samples (jdk.ExecutionSample, through `jfr print --json`) of THREAD
(a Java thread name, default main; "*" for every thread) and prints, each ranked by share
of the samples:
  self       the method on top of the stack (where the CPU was)
  inclusive  the methods anywhere on the stack (what the time was spent under)
  activity   what the sample was doing, from markers on its stack: class loading and
             linking, bean creation, configuration binding, Flyway, H2, and so on
Record with: -XX:StartFlightRecording=filename=F.jfr,settings=profile,dumponexit=true
and -XX:FlightRecorderOptions:stackdepth=512 (deep stacks are truncated otherwise).
"""
import collections
import json
import subprocess
import sys

# first marker found on the stack, from the top, names the activity
ACTIVITIES = [
    ("class loading / linking", ("java.lang.ClassLoader.loadClass", "java.lang.ClassLoader.defineClass",
                                 "jdk.internal.loader.BuiltinClassLoader.loadClass",
                                 "java.lang.Class.forName", "java.lang.invoke.MethodHandleNatives.linkCallSite",
                                 "java.lang.invoke.LambdaMetafactory")),
    ("annotation / class metadata", ("org.springframework.core.annotation.", "org.springframework.core.type.",
                                     "java.lang.Class.getDeclared")),
    ("H2", ("org.h2.",)),
    ("Flyway", ("org.flywaydb.",)),
    ("Tomcat", ("org.apache.catalina.", "org.apache.tomcat.", "org.apache.coyote.")),
    ("Netty / Reactor", ("io.netty.", "reactor.")),
    ("YAML", ("org.yaml.snakeyaml.",)),
    ("Thymeleaf", ("org.thymeleaf.",)),
    ("logging", ("ch.qos.logback.", "org.apache.logging.")),
]


def frames(event):
    trace = event["values"].get("stackTrace") or {}
    for frame in trace.get("frames", []):
        method = frame["method"]
        yield f'{method["type"]["name"].replace("/", ".")}.{method["name"]}'


def main():
    recording = sys.argv[1]
    thread = sys.argv[2] if len(sys.argv) > 2 else "main"
    limit = int(sys.argv[3]) if len(sys.argv) > 3 else 25
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "512", "--events", "jdk.ExecutionSample", recording],
                         check=True, capture_output=True, text=True).stdout
    events = json.loads(out)["recording"]["events"]
    self_counts, inclusive, activity = collections.Counter(), collections.Counter(), collections.Counter()
    total = truncated = 0
    for event in events:
        sampled = (event["values"].get("sampledThread") or {}).get("javaName")
        if thread != "*" and sampled != thread:
            continue
        stack = list(frames(event))
        if not stack:
            continue
        total += 1
        truncated += bool((event["values"].get("stackTrace") or {}).get("truncated"))
        self_counts[stack[0]] += 1
        for method in set(stack):
            inclusive[method] += 1
        activity[next((name for frame in stack for name, markers in ACTIVITIES
                       if frame.startswith(markers)), "other")] += 1
    print(f"{total} samples of thread {thread} ({truncated} truncated stacks)")
    if not total:
        return
    for title, counter in (("self", self_counts), ("inclusive", inclusive), ("activity", activity)):
        print(f"\n{title}:")
        for name, count in counter.most_common(limit):
            print(f"  {100.0 * count / total:5.1f}%  {count:6d}  {name}")


main()
