#!/usr/bin/env python3
"""Where the offline trainer's main thread spends its time, from a Java Flight Recording (issue 11, item 4).

    SFA_JAVA_OPTS="-Xms512m -Xmx4g -XX:MaxDirectMemorySize=1g \
        -XX:StartFlightRecording=filename=/tmp/run.jfr,settings=profile" \
      SFA_TORCH_THREADS=1 taskset -c 1 bin/sfa train-offline ... --threads 1 --data-threads 1
    jfr print --json --events jdk.ExecutionSample,jdk.NativeMethodSample --stack-depth 40 /tmp/run.jfr > /tmp/s.json
    /usr/bin/python3 bench/speed/jfr_shares.py /tmp/s.json

JFR samples Java threads both while they run Java code (jdk.ExecutionSample) and while they sit in a
native method (jdk.NativeMethodSample): a sample whose top frame is a DJL PyTorchLibrary method is time
in libtorch (kernels, autograd), any other top frame is Java (data preparation, copies, DJL's wrappers)
or another native call (file I/O, zip). Prints the share of each, and the share of each trainer phase.
"""
import collections
import json
import sys

PHASES = ("warmUpEpoch", "sslEpoch", "selection", "test")


def frame_name(f):
    return f["method"]["type"]["name"].replace("/", ".") + "." + f["method"]["name"]


def main():
    events = json.load(open(sys.argv[1]))["recording"]["events"]
    thread = sys.argv[2] if len(sys.argv) > 2 else "main"
    kinds, phases = collections.Counter(), collections.Counter()
    for e in events:
        v = e["values"]
        if v.get("sampledThread", {}).get("javaName") != thread or not v.get("stackTrace"):
            continue
        names = [frame_name(f) for f in v["stackTrace"]["frames"]]
        top = names[0]
        if ".PyTorchLibrary." in top:
            kinds["libtorch " + top.rsplit(".", 1)[1]] += 1
        elif e["type"] == "jdk.NativeMethodSample":
            kinds["other native " + top] += 1
        else:
            kinds["java " + top.rsplit(".", 1)[0]] += 1
        phase = next((n.rsplit(".", 1)[1] for n in reversed(names)
                      if n.startswith("io.sfastream") and any(p in n for p in PHASES)), "other")
        phases[phase] += 1
    total = sum(kinds.values())
    lib = sum(n for k, n in kinds.items() if k.startswith("libtorch"))
    java = sum(n for k, n in kinds.items() if k.startswith("java"))
    print(f"{total} samples of thread {thread}: libtorch {100 * lib / total:.1f}%, "
          f"Java {100 * java / total:.1f}%, other native {100 * (total - lib - java) / total:.1f}%")
    for k, n in kinds.most_common(12):
        print(f"  {100 * n / total:5.1f}%  {k}")
    print("by phase:")
    for k, n in phases.most_common():
        print(f"  {100 * n / total:5.1f}%  {k}")


if __name__ == "__main__":
    main()
