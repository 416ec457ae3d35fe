#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Drive a netfs-replay --html page in headless Chromium over the DevTools
protocol (--remote-debugging-pipe: commands on fd 3, replies on fd 4, each
message JSON ended by a NUL) and check that its script works: the zoom
buttons and the wheel change the timeline's viewBox, a drag pans it,
hovering over a request bar shows the request, clicking a bar goes to its
drill-down; and that no exception or console message came up meanwhile.

Usage: html-cdp.py CHROMIUM PROFILE-DIR PAGE.html
Prints what it did; exit 0 when every check held, 1 otherwise.
"""
import json
import os
import subprocess
import sys
import time


def to_3_4(a, b):
    """In the child: @a on fd 3, @b on fd 4 (either may be 3 or 4 now)."""
    a2, b2 = os.dup(a), os.dup(b)
    os.dup2(a2, 3)
    os.dup2(b2, 4)


def main():
    chromium, profile, page = sys.argv[1:4]
    r_cmd, w_cmd = os.pipe()    # we write commands, chromium reads fd 3
    r_ev, w_ev = os.pipe()      # chromium writes fd 4, we read
    proc = subprocess.Popen(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync",
         "--user-data-dir=" + profile, "--window-size=1400,900",
         "--remote-debugging-pipe", "about:blank"],
        pass_fds=(3, 4), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=lambda: to_3_4(r_cmd, w_ev))
    os.close(r_cmd)
    os.close(w_ev)
    out = os.fdopen(w_cmd, "wb", buffering=0)
    inp = os.fdopen(r_ev, "rb", buffering=0)
    buf = b""
    problems = []
    seq = [0]
    deadline = time.monotonic() + 45

    def read_msg():
        nonlocal buf
        while b"\0" not in buf:
            if time.monotonic() > deadline:
                raise TimeoutError("no answer from chromium")
            chunk = inp.read(65536)
            if not chunk:
                raise EOFError("chromium closed the pipe")
            buf += chunk
        msg, buf = buf.split(b"\0", 1)
        return json.loads(msg)

    def note(m):
        meth = m.get("method")
        if meth == "Runtime.exceptionThrown":
            d = m["params"]["exceptionDetails"]
            problems.append("exception: " + d.get("exception", {}).get(
                "description", d.get("text", "?")))
        elif meth == "Runtime.consoleAPICalled":
            args = [a.get("value", a.get("description", ""))
                    for a in m["params"]["args"]]
            problems.append("console.%s: %s" % (m["params"]["type"], args))
        elif meth == "Log.entryAdded":
            e = m["params"]["entry"]
            problems.append("log %s: %s" % (e["level"], e["text"]))

    def call(method, params=None, session=None):
        seq[0] += 1
        msg = {"id": seq[0], "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        out.write(json.dumps(msg).encode() + b"\0")
        while True:
            m = read_msg()
            if m.get("id") == seq[0]:
                if "error" in m:
                    raise RuntimeError("%s: %s" % (method, m["error"]))
                return m.get("result", {})
            note(m)

    def wait_event(name):
        while True:
            m = read_msg()
            note(m)
            if m.get("method") == name:
                return m

    try:
        targets = call("Target.getTargets")["targetInfos"]
        tid = [t for t in targets if t["type"] == "page"][0]["targetId"]
        s = call("Target.attachToTarget",
                 {"targetId": tid, "flatten": True})["sessionId"]
        for dom in ("Runtime", "Page", "Log"):
            call(dom + ".enable", session=s)
        call("Page.navigate", {"url": "file://" + os.path.abspath(page)},
             session=s)
        wait_event("Page.loadEventFired")

        def js(expr):
            r = call("Runtime.evaluate", {"expression": expr,
                                          "returnByValue": True}, session=s)
            if "exceptionDetails" in r:
                raise RuntimeError("evaluating %s: %s" % (
                    expr, r["exceptionDetails"]))
            return r["result"].get("value")

        def check(what, cond):
            print(("ok   " if cond else "FAIL ") + what)
            if not cond:
                problems.append("failed: " + what)

        vb = "document.getElementById('tl-plot').getAttribute('viewBox')"
        check("script ran (data-ready=1)",
              js("document.body.getAttribute('data-ready')") == "1")
        v0 = js(vb)
        check("viewBox at start: " + str(v0), v0.startswith("0 0 1200 "))
        js("document.getElementById('zin').click()")
        v1 = js(vb)
        check("zoom in halves the width: " + str(v1),
              float(v1.split()[2]) == 600.0)
        ticks = js("Array.from(document.querySelectorAll('#tl-axis span'))"
                   ".map(s => s.textContent)")
        check("7 axis labels after zooming: %s" % ticks, len(ticks) == 7)
        js("document.getElementById('zout').click()")
        check("zoom out back to full", js(vb) == v0)
        js("""(function(){var p=document.getElementById('tl-plot'),
              r=p.getBoundingClientRect();
              p.dispatchEvent(new WheelEvent('wheel',{deltaY:-100,bubbles:true,
              cancelable:true,clientX:r.left+r.width/4,clientY:r.top+5}));})()""")
        v2 = js(vb)
        check("wheel zooms in around the pointer: " + str(v2),
              float(v2.split()[2]) < 1200 and float(v2.split()[0]) > 0)
        js("""(function(){var p=document.getElementById('tl-plot'),
              r=p.getBoundingClientRect(),y=r.top+5,x=r.left+r.width/2;
              p.dispatchEvent(new MouseEvent('mousedown',{bubbles:true,clientX:x,clientY:y}));
              p.dispatchEvent(new MouseEvent('mousemove',{bubbles:true,clientX:x+200,clientY:y}));
              window.dispatchEvent(new MouseEvent('mouseup',{bubbles:true,clientX:x+200,clientY:y}));})()""")
        v3 = js(vb)
        check("drag pans: %s -> %s" % (v2, v3),
              float(v3.split()[0]) < float(v2.split()[0]) and
              v3.split()[2] == v2.split()[2])
        js("document.getElementById('zreset').click()")
        check("reset", js(vb) == v0)
        tip = js("""(function(){var q=document.querySelector('#tl-plot rect.req'),
              r=q.getBoundingClientRect();
              q.dispatchEvent(new MouseEvent('mousemove',{bubbles:true,
              clientX:r.left+1,clientY:r.top+1}));
              var t=document.getElementById('tip');
              return [t.style.display,t.textContent,q.getAttribute('data-id')];})()""")
        check("hover shows the request: %r" % (tip,),
              tip[0] == "block" and ("R=" + tip[2]) in tip[1] and
              "duration" in tip[1] and "subrequests" in tip[1] and
              "bytes" in tip[1] and "range" in tip[1] and "ino=" in tip[1])
        link = js("""(function(){var q=document.querySelector('#tl-plot a rect.req');
              if(!q)return null;q.dispatchEvent(new MouseEvent('click',{bubbles:true}));
              return [location.hash,q.getAttribute('data-id')];})()""")
        if link is not None:
            check("click on a bar goes to its drill-down: %r" % (link,),
                  link[0] == "#R" + link[1] and
                  js("!!document.getElementById(%s)" % json.dumps(link[0][1:])))
        # let late errors (a timer, a handler) come in
        call("Runtime.evaluate", {"expression": "new Promise(r => setTimeout(r, 200))",
                                  "awaitPromise": True}, session=s)
        try:
            call("Browser.close")
        except (EOFError, RuntimeError):
            pass
    except Exception as e:      # the test reports it and fails
        problems.append("%s: %s" % (type(e).__name__, e))
    finally:
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    for p in problems:
        print("PROBLEM " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
