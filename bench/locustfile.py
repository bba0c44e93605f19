"""Load scenario: officials on the dashboard, lists and the API (``make bench`` runs it headless).

Each simulated user signs in once through the login page (session and CSRF as a browser
would), then reads dashboards, community lists and API resources of its scope.
"""

import os
import random
import re

from locust import HttpUser, between, task

PASSWORD = os.environ.get("BENCH_PASSWORD", "Gansu-demo-2015")
ACCOUNTS = [("demo_admin", "62"), ("demo_prefecture", "6201"), ("demo_street", "620102016")]
PREFECTURES = ["6201", "6202", "6203", "6204", "6205", "6206", "6207", "6208", "6209", "6210", "6211", "6212", "6229", "6230"]


class Official(HttpUser):
    wait_time = between(0.5, 2.0)

    def on_start(self):
        self.username, self.scope = random.choice(ACCOUNTS)
        page = self.client.get("/login/", name="/login/")
        token = self.client.cookies.get("csrftoken") or re.search(
            r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text
        ).group(1)
        self.client.post(
            "/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": self.client.base_url + "/login/"},
            name="/login/ (POST)",
        )

    def scope_below(self) -> str:
        if self.scope == "62":
            return random.choice(PREFECTURES)
        return self.scope

    @task(4)
    def dashboard(self):
        self.client.get(f"/dashboard/{self.scope}/?year=2015", name="/dashboard/[scope]/")

    @task(2)
    def dashboard_below(self):
        self.client.get(f"/dashboard/{self.scope_below()}/?year=2014", name="/dashboard/[child]/")

    @task(3)
    def compliance_api(self):
        self.client.get(f"/api/v1/compliance/?scope={self.scope_below()}&year=2015", name="/api/v1/compliance/")

    @task(2)
    def communities_api(self):
        self.client.get(f"/api/v1/communities/?scope={self.scope_below()}&page_size=100", name="/api/v1/communities/")

    @task(2)
    def volunteers_api(self):
        self.client.get(f"/api/v1/volunteers/?scope={self.scope_below()}&page_size={random.choice((20, 50, 100))}",
                        name="/api/v1/volunteers/")

    @task(1)
    def stats_api(self):
        self.client.get(f"/api/v1/community-stats/?scope={self.scope}&year=2015", name="/api/v1/community-stats/")
