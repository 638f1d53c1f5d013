"""The project's own questionnaires and rubrics meet what the product promises."""

from collections import Counter

from backend.content.conditions import LevelBelow, ScoreBelow, walk


def counts(bundle, qid):
    return Counter(q.criterion for q in bundle.plan(qid).questionnaire.questions)


def test_each_model_is_credited_to_its_author(content):
    authors = {m: r.author for m, r in content.rubrics.items()}
    assert "Surdak" in authors["socialfication"]
    assert "Solis" in authors["solis"]
    assert "Vander Wal" in authors["stack"]
    assert "Evans" in authors["customer"] and "Wampler" in authors["customer"] and "Carfi" in authors["customer"]


def test_the_models_have_the_shape_of_their_sources(content):
    assert [c.level for c in content.rubrics["socialfication"].criteria] == [1, 2, 3, 4, 5]
    assert content.rubrics["socialfication"].floor.name == "Anonymous"
    solis = content.rubrics["solis"]
    assert len(solis.groups) == 10 and sum(len(g.criteria) for g in solis.groups) == 19
    stack = {c.id for c in content.rubrics["stack"].criteria}
    assert stack == {"identity", "objects", "presence", "actions", "sharing", "reputation", "relationships",
                     "conversation", "groups", "collaboration", "context"}
    audit = next(g for g in content.rubrics["customer"].groups if g.id == "audit")
    assert len(audit.criteria) == 5


def test_full_diagnostic_asks_about_every_criterion(content):
    asked = counts(content, "full-diagnostic")
    assert set(content.criteria) <= set(asked), set(content.criteria) - set(asked)
    assert 90 <= sum(asked.values()) <= 120


def test_full_diagnostic_asks_three_questions_per_level_and_two_per_solis_element(content):
    asked = counts(content, "full-diagnostic")
    for level in range(1, 6):
        assert asked[f"socialfication.level{level}"] >= 3
    for cid in (c for c in content.criteria if c.startswith("solis.")):
        assert asked[cid] >= 2, cid


def test_quick_check_is_short_and_still_yields_a_level_and_a_stage(content):
    qc = content.plan("executive-quick-check").questionnaire
    assert len(qc.questions) <= 20 and qc.minutes <= 15
    asked = counts(content, "executive-quick-check")
    assert all(asked[f"socialfication.level{n}"] >= 1 for n in range(1, 6))
    for group in content.rubrics["solis"].groups:
        assert any(asked[f"solis.{group.id}.{c.id}"] for c in group.criteria), group.id


def test_there_are_at_least_forty_recommendations_covering_every_model(content):
    recs = content.recommendations
    assert len(recs) >= 40
    assert {model for model, _ in recs.values()} == {"socialfication", "solis", "stack", "customer"}


def test_every_socialfication_step_and_solis_stage_has_a_recommendation(content):
    gates = {rec.gate for model, rec in content.recommendations.values() if model == "socialfication"}
    assert gates >= {1, 2, 3, 4, 5}
    solis_refs = set()
    for model, rec in content.recommendations.values():
        for atom in walk(rec.trigger):
            for name in ("score_below", "score_at_least"):
                test = getattr(atom, name, None)
                if test and test.criterion.startswith("solis."):
                    solis_refs.add(test.criterion.split(".")[1])
            if isinstance(atom, LevelBelow) and atom.level_below.model == "solis":
                solis_refs.update(f"stage{n}" for n in range(1, atom.level_below.value + 1))
    assert {g.id for g in content.rubrics["solis"].groups} <= solis_refs


def test_the_feedback_channel_audit_is_a_recommendation_with_wamplers_five_steps(content):
    model, audit = content.recommendations["feedback_channel_audit"]
    assert model == "customer" and audit.urgent
    assert len(audit.tasks) == 5
    # Triggered by the audit's own steps showing the gap, not merely by a level below 3.
    atoms = list(walk(audit.trigger))
    assert not any(isinstance(a, LevelBelow) for a in atoms)
    assert {a.score_below.criterion for a in atoms if isinstance(a, ScoreBelow)} >= {"customer.audit.audit_channels", "customer.audit.map_journeys"}


def test_recommendations_that_open_a_channel_say_why_who_and_the_exit_cost(content):
    opening = [rec for _, rec in content.recommendations.values() if rec.opens_channel]
    assert opening, "community and new-channel recommendations carry the Lieberman caution"
