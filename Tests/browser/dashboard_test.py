#!/usr/bin/env python3
"""The operations console in headless Chromium, against a real cluster.

Starts the embedded Kafka cluster, an event generator feeding it at a steady rate, a jobmanager
and two taskmanagers (the built binaries, .build/debug unless STREAM_BIN_DIR says otherwise),
submits both jobs of jobs.yaml, and checks what an operator sees: both taskmanagers on the
overview; the job page's graph, moving record rates, watermarks and a checkpoint chart with
points; a killed taskmanager in the exceptions history; a bad definition pasted into Submit shown
at its line. Screenshots of every page go to .local/browser/ when a check fails.
`--screenshot FILE` also saves the job page (the README's picture); `--shots DIR` every page.

Needs Debian's chromium, chromium-driver and python3-selenium (scripts/setup.sh installs them).
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("STREAM_BIN_DIR", os.path.join(ROOT, ".build", "debug"))
TOKEN = "browser-test-token"
SHOTS = os.path.join(ROOT, ".local", "browser")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self, workdir):
        self.dir = workdir
        self.procs = {}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self, name, args, stdout=None):
        log = open(os.path.join(self.dir, f"{name}.log"), "w")
        proc = subprocess.Popen(args, stdout=stdout or log, stderr=log, cwd=ROOT, start_new_session=True)
        self.procs[name] = proc
        return proc

    def up(self):
        kafka = self.start("kafka", [f"{BIN}/jobmanager", "embedded-kafka", "jobs.yaml"], stdout=subprocess.PIPE)
        self.bootstrap = kafka.stdout.readline().decode().strip()
        if not self.bootstrap:
            raise RuntimeError("embedded-kafka printed no address")
        # A steady feed, so record rates and watermarks keep moving while the browser looks.
        self.start("generator", [f"{BIN}/bss-events", "generate", "--bootstrap-servers", self.bootstrap,
                                 "--count", "2000000", "--rate", "400", "--event-time-rate", "20"])
        self.start("jobmanager", [f"{BIN}/jobmanager", "serve", "--port", str(self.port), "--bootstrap-servers", self.bootstrap,
                                  "--checkpoint-dir", os.path.join(self.dir, "checkpoints"), "--token", TOKEN])
        wait("jobmanager serving", lambda: self.get("/healthz") is not None)
        for name in ("tm-a", "tm-b"):
            self.start(name, [f"{BIN}/taskmanager", "--jobmanager", self.url, "--slots", "4", "--token", TOKEN, "--name", name])
        wait("two taskmanagers", lambda: len(self.get("/taskmanagers")["taskmanagers"]) == 2)
        with open(os.path.join(ROOT, "jobs.yaml")) as f:
            yaml = f.read().replace("checkpointInterval: 10s", "checkpointInterval: 1s")
        request = urllib.request.Request(self.url + "/jobs", data=yaml.encode(), method="POST",
                                         headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/yaml"})
        self.jobs = json.load(urllib.request.urlopen(request))["jobs"]
        wait("jobs running", lambda: all(j["state"] == "RUNNING" for j in self.get("/jobs")["jobs"]))
        return self

    def get(self, path):
        try:
            return json.load(urllib.request.urlopen(self.url + path, timeout=5))
        except Exception:
            return None

    def kill9(self, name):
        self.procs[name].send_signal(signal.SIGKILL)
        self.procs[name].wait()

    def down(self):
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                proc.wait()


def wait(what, condition, timeout=90, every=0.25):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        try:
            if condition():
                return
        except Exception as e:  # the page may be mid-update
            last = e
        time.sleep(every)
    raise AssertionError(f"timed out waiting for: {what}" + (f" (last error: {last})" if last else ""))


def browser():
    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1440,1000"):
        options.add_argument(arg)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium:
        options.binary_location = chromium
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    return webdriver.Chrome(service=Service(driver_path), options=options)


def texts(driver, selector):
    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, selector)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--screenshot", help="save the job page here")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (logs)")
    parser.add_argument("--shots", help="save a screenshot of each page checked in this folder")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="console-browser-")
    cluster = Cluster(workdir)
    driver = None
    passed, failed = [], []

    def check(name, body):
        try:
            body()
            passed.append(name)
            print(f"ok   {name}", flush=True)
            if args.shots:
                os.makedirs(args.shots, exist_ok=True)
                driver.save_screenshot(os.path.join(args.shots, re.sub(r"\W+", "-", name) + ".png"))
        except Exception as e:
            failed.append(name)
            print(f"FAIL {name}: {e}", flush=True)
            traceback.print_exc()
            os.makedirs(SHOTS, exist_ok=True)
            shot = os.path.join(SHOTS, re.sub(r"\W+", "-", name) + ".png")
            try:
                driver.save_screenshot(shot)
                print(f"     screenshot: {shot}", flush=True)
            except Exception:
                pass

    try:
        cluster.up()
        driver = browser()
        job = next(j for j in cluster.jobs if j["name"] == "customer-analytics")

        def overview():
            driver.get(cluster.url + "/#/overview")
            wait("overview shows two taskmanagers", lambda: driver.find_element(By.ID, "overview-taskmanagers").text == "2")
            assert "customer-analytics" in driver.find_element(By.ID, "jobs-table").text
        check("overview shows both taskmanagers", overview)

        def job_page():
            driver.get(cluster.url + f"/#/job/{job['id']}")
            wait("graph drawn", lambda: len(driver.find_elements(By.CSS_SELECTOR, "#plan-graph g.node")) >= 5)
            kinds = {e.get_attribute("class").split()[1] for e in driver.find_elements(By.CSS_SELECTOR, "#plan-graph g.node")}
            assert {"source", "window", "sink", "deadLetter"} <= kinds, kinds
            wait("four tasks", lambda: len(driver.find_elements(By.CSS_SELECTOR, "#tasks-table tbody tr")) == 4)
            wait("watermarks shown", lambda: all(re.match(r"\d{4}-\d\d-\d\dT", t) for t in texts(driver, "#tasks-table td.watermark")))
            def rates():
                return [float(t.replace(",", "").rstrip("/s")) for t in texts(driver, "#tasks-table td.rate-in") if t != "–"]
            wait("records flowing", lambda: sum(rates()) > 0)
            first = rates()
            wait("rates move", lambda: rates() != first, timeout=30)
            wait("checkpoint chart with points", lambda: len(driver.find_elements(By.CSS_SELECTOR, "#checkpoint-chart circle.point")) >= 2)
            assert "name: customer-analytics" in driver.find_element(By.ID, "job-definition").text
            if args.screenshot:
                # The whole page, once windows have fired and a few checkpoints are charted.
                wait("results written", lambda: any(t not in ("0.0/s", "–") for t in texts(driver, "#tasks-table td.rate-out")), timeout=60)
                wait("five checkpoints", lambda: len(driver.find_elements(By.CSS_SELECTOR, "#checkpoint-chart circle.point")) >= 5)
                # Down to the exceptions history (the definition below it is long).
                height = driver.execute_script(
                    "return document.getElementById('job-exceptions').getBoundingClientRect().bottom + window.scrollY + 24")
                driver.set_window_size(1440, int(height) + 140)
                driver.execute_script("window.scrollTo(0, 0)")
                time.sleep(2.5)
                driver.save_screenshot(args.screenshot)
                driver.set_window_size(1440, 1000)
        check("job page shows graph, moving rates, watermarks, checkpoint chart", job_page)

        def savepoint_button():
            driver.get(cluster.url + f"/#/job/{job['id']}")
            driver.execute_script("sessionStorage.setItem('stream-token', arguments[0])", TOKEN)
            wait("savepoint button shown", lambda: driver.find_element(By.ID, "savepoint").is_displayed())
            driver.find_element(By.ID, "savepoint").click()
            wait("savepoint completed", lambda: texts(driver, "#savepoints-table td.savepoint-status")[:1] == ["COMPLETED"], timeout=60)
            assert "/savepoints/customer-analytics/sp-1" in driver.find_element(By.ID, "savepoints-table").text
            assert cluster.get(f"/jobs/{job['id']}")["state"] == "RUNNING", "a savepoint leaves the job running"
        check("the Savepoint button takes one and lists its location", savepoint_button)

        def killed_taskmanager():
            cluster.kill9("tm-a")
            driver.get(cluster.url + f"/#/job/{job['id']}")
            wait("loss in the exceptions history", lambda: "lost" in driver.find_element(By.ID, "job-exceptions").text, timeout=60)
        check("a killed taskmanager shows up in the exceptions history", killed_taskmanager)

        def taskmanagers():
            driver.get(cluster.url + "/#/taskmanagers")
            wait("one taskmanager left", lambda: len(driver.find_elements(By.CSS_SELECTOR, "#taskmanagers-table tbody tr")) == 1)
            assert "tm-b" in driver.find_element(By.ID, "taskmanagers-table").text
            assert "MiB" in driver.find_element(By.ID, "taskmanagers-table").text
        check("taskmanagers page lists the live one with its memory", taskmanagers)

        def bad_definition():
            driver.get(cluster.url + "/#/submit")
            driver.execute_script("sessionStorage.setItem('stream-token', arguments[0])", TOKEN)
            with open(os.path.join(ROOT, "jobs.yaml")) as f:
                bad = f.read().replace("kind: tumbling", "kind: rolling")
            line = next(i + 1 for i, l in enumerate(bad.split("\n")) if "kind: rolling" in l)
            area = driver.find_element(By.ID, "submit-yaml")
            driver.execute_script("arguments[0].value = arguments[1]", area, bad)
            driver.find_element(By.ID, "submit-button").click()
            wait("error shown at its line", lambda: driver.find_elements(By.CSS_SELECTOR, f"#submit-errors li.error-line[data-line='{line}']"))
            assert "rolling" in driver.find_element(By.ID, "submit-errors").text
            assert driver.find_elements(By.ID, f"line-{line}"), "the listing marks the line"
            assert len(cluster.get("/jobs")["jobs"]) == 2, "nothing was submitted"
        check("a bad definition pasted into Submit shows its line", bad_definition)
    except Exception as e:
        failed.append("cluster setup")
        print(f"FAIL cluster setup: {e}", flush=True)
        traceback.print_exc()
    finally:
        if driver:
            driver.quit()
        cluster.down()
        if failed:
            for name in ("jobmanager", "tm-a", "tm-b"):
                path = os.path.join(workdir, f"{name}.log")
                if os.path.exists(path):
                    print(f"--- {name}.log (tail)")
                    print("".join(open(path).readlines()[-15:]))
        if not args.keep and not failed:
            shutil.rmtree(workdir, ignore_errors=True)
        elif failed:
            print(f"logs in {workdir}")
    print(f"browser: {len(passed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
