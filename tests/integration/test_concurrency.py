"""Two people editing the same answer at once over a real server: one wins, one is told, nothing is lost."""

import threading

import httpx

from tests.server import admin_headers, running_server

Q = "qc.social.listening"


def test_two_writers_one_wins_one_gets_409_and_nothing_is_lost(database_url, tmp_path):
    headers = admin_headers(database_url)
    with (
        running_server(database_url, tmp_path, workers=2) as base,
        httpx.Client(base_url=base, timeout=10, headers=headers) as http,
    ):
        org = http.post("/api/v1/organisations", json={"name": "Race Ltd"}).json()["id"]
        aid = http.post(
            f"/api/v1/organisations/{org}/assessments",
            json={"questionnaire_id": "executive-quick-check", "period": "2026-Q4"},
        ).json()["id"]
        assert (
            http.put(
                f"/api/v1/assessments/{aid}/answers/{Q}", json={"value": "ad_hoc", "expected_version": 0}
            ).status_code
            == 201
        )
        for _ in range(5):
            barrier = threading.Barrier(2)
            outcomes = {}
            current = http.get(f"/api/v1/assessments/{aid}/answers").json()[0]["version"]

            def write(who, value, version=current, barrier=barrier, outcomes=outcomes):
                with httpx.Client(base_url=base, timeout=10, headers=headers) as own:
                    barrier.wait()
                    outcomes[who] = own.put(
                        f"/api/v1/assessments/{aid}/answers/{Q}",
                        json={"value": value, "note": who, "answered_by": who, "expected_version": version},
                    )

            threads = [
                threading.Thread(target=write, args=("ann", "main_networks")),
                threading.Thread(target=write, args=("bob", "everywhere")),
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            codes = sorted(r.status_code for r in outcomes.values())
            assert codes == [200, 409], {k: r.text for k, r in outcomes.items()}
            winner = next(k for k, r in outcomes.items() if r.status_code == 200)
            loser = outcomes["bob" if winner == "ann" else "ann"]
            assert loser.json()["extra"]["current"]["note"] == winner
            # Reset for the next round so both values can win again.
            reset = http.put(
                f"/api/v1/assessments/{aid}/answers/{Q}",
                json={"value": "ad_hoc", "note": "", "expected_version": current + 1},
            )
            assert reset.status_code == 200
        history = http.get(f"/api/v1/assessments/{aid}/history").json()
        assert [h["version"] for h in history] == list(range(1, len(history) + 1))
        assert len(history) == 11  # the first answer, then a winner and a reset per round
        final = http.get(f"/api/v1/assessments/{aid}/answers").json()
        assert final[0]["version"] == 11
