"""Intent and language-id accuracy of our pipeline against the `rasa init` baseline, per variety.

    .venv-rasa/bin/python -m nlu.evaluate tests/data/heldout [--folds 5] [--out bench/] [--only ours|baseline]
        [--keep DIR]

Trains config.yml (ours) and nlu/baseline_config.yml on data/nlu, parses every held-out sentence of
tests/data/heldout and reports per variety (ar, ary, ary_Latn, fr, en) the intent macro-F1 (a sentence sent
to `nlu_fallback` counts as a miss: the citizen gets no answer) and the accuracy of `nlu.langid.identify`.
With --folds k it also runs a stratified k-fold cross-validation on data/nlu (2 k more trainings: slow).
Writes <out>/nlu_results.json and <out>/nlu_results.md. Models go to a temporary folder, never models/.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from nlu.langid import VARIETIES, LanguageModel, identify, read_examples

ROOT = Path(__file__).resolve().parents[1]
TRAINING = ROOT / "data" / "nlu"  # the project's training data; the held-out set is the caller's (--heldout)
CONFIGS = {"ours": ROOT / "config.yml", "baseline": ROOT / "nlu" / "baseline_config.yml"}
TARGET_F1, TARGET_LANGID = 0.92, 0.97
log = logging.getLogger("nlu.evaluate")


@dataclass(frozen=True)
class Example:
    variety: str
    intent: str
    text: str


def load(root: Path) -> list[Example]:
    """Every example under root/<variety>/*.yml."""
    return [Example(v, intent, text) for v in VARIETIES for intent, text in read_examples(root / v)]


def write_nlu_file(examples: Iterable[Example], path: Path) -> Path:
    """A Rasa 3 NLU YAML file holding `examples` (used for cross-validation folds)."""
    by_intent: dict[str, list[str]] = {}
    for example in examples:
        by_intent.setdefault(example.intent, []).append(example.text)
    blocks = [{"intent": i, "examples": "".join(f"- {t}\n" for t in ts)} for i, ts in sorted(by_intent.items())]
    path.write_text(
        yaml.safe_dump({"version": "3.1", "nlu": blocks}, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return path


def train(config: Path, nlu_data: Path, out: Path, name: str) -> str:
    """Train an NLU-only model; return its path."""
    from rasa.model_training import train_nlu

    started = time.monotonic()
    model = train_nlu(str(config), str(nlu_data), str(out), fixed_model_name=name)
    if not model:
        raise RuntimeError(f"training {name} with {config} produced no model")
    log.info("trained %s in %.0f s", name, time.monotonic() - started)
    return model


def predict(model: str, texts: list[str]) -> list[str]:
    """The intent the model gives each text (`nlu_fallback` included)."""
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # one debug line per parsed sentence otherwise
    agent = Agent.load(model)

    async def parse_all() -> list[str]:
        return [(await agent.parse_message(t))["intent"]["name"] for t in texts]

    return asyncio.run(parse_all())


def macro_f1(truth: list[str], predicted: list[str]) -> float:
    """Macro-F1 over the intents present in `truth` (a wrong or fallback prediction is a miss)."""
    from sklearn.metrics import f1_score

    return float(f1_score(truth, predicted, labels=sorted(set(truth)), average="macro", zero_division=0))


def per_variety(
    examples: list[Example], predicted: list[str], langid: LanguageModel | None = None
) -> dict[str, dict[str, float]]:
    """Intent macro-F1, intent accuracy and language-id accuracy (of `langid`, default: the model trained on
    all of data/nlu) for each variety."""
    table = {}
    for variety in VARIETIES:
        rows = [(e, p) for e, p in zip(examples, predicted) if e.variety == variety]
        if not rows:
            continue
        truth, guess = [e.intent for e, _ in rows], [p for _, p in rows]
        table[variety] = {
            "n": len(rows),
            "intent_macro_f1": round(macro_f1(truth, guess), 4),
            "intent_accuracy": round(sum(t == g for t, g in zip(truth, guess)) / len(rows), 4),
            "fallback_rate": round(guess.count("nlu_fallback") / len(rows), 4),
            "langid_accuracy": round(sum(identify(e.text, model=langid) == variety for e, _ in rows) / len(rows), 4),
        }
    return table


def misses(examples: list[Example], predicted: list[str], limit: int = 25) -> dict[str, list[list[str]]]:
    """Some wrongly classified sentences per variety ([text, expected, predicted]), to see what to fix."""
    found: dict[str, list[list[str]]] = {}
    for example, guess in zip(examples, predicted):
        if guess != example.intent and len(found.setdefault(example.variety, [])) < limit:
            found[example.variety].append([example.text, example.intent, guess])
    return found


def heldout_scores(work: Path, configs: dict[str, Path], heldout: Path) -> dict[str, dict]:
    """Train each config on data/nlu, score it on the held-out sentences under `heldout`."""
    examples = load(heldout)
    texts = [e.text for e in examples]
    results = {}
    for name, config in configs.items():
        started = time.monotonic()
        model = train(config, TRAINING, work, name)
        trained = time.monotonic() - started
        predicted = predict(model, texts)
        results[name] = {
            "train_seconds": round(trained),
            "varieties": per_variety(examples, predicted),
            "misses": misses(examples, predicted),
        }
    return results


def stratified_folds(examples: list[Example], folds: int) -> list[tuple[list[int], list[int]]]:
    """(train indices, test indices) of a k-fold split stratified by variety and intent (fixed seed)."""
    from sklearn.model_selection import StratifiedKFold

    labels = [f"{e.variety}/{e.intent}" for e in examples]
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=42)
    return [(list(train), list(test)) for train, test in splitter.split(examples, labels)]


def fold_language_model(examples: list[Example], train_idx: list[int]) -> LanguageModel:
    """The language identifier trained on one fold's training part only."""
    return LanguageModel({v: [examples[i].text for i in train_idx if examples[i].variety == v] for v in VARIETIES})


def langid_cross_validation(folds: int = 5) -> dict[str, float]:
    """Language-id accuracy per variety under k-fold cross-validation of the identifier alone (seconds, no
    Rasa): the same folds as `cross_validation`."""
    examples = load(TRAINING)
    right: dict[str, int] = dict.fromkeys(VARIETIES, 0)
    total: dict[str, int] = dict.fromkeys(VARIETIES, 0)
    for train_idx, test_idx in stratified_folds(examples, folds):
        model = fold_language_model(examples, train_idx)
        for i in test_idx:
            variety = examples[i].variety
            total[variety] += 1
            right[variety] += identify(examples[i].text, model=model) == variety
    return {v: round(right[v] / total[v], 4) for v in VARIETIES if total[v]}


def cross_validation(work: Path, configs: dict[str, Path], folds: int) -> dict[str, dict]:
    """Stratified k-fold cross-validation on data/nlu; per-variety scores averaged over folds. The language
    identifier is retrained on each fold's training part too, so no test sentence is judged by a model that
    saw it."""
    examples = load(TRAINING)
    sums: dict[str, dict[str, dict[str, float]]] = {name: {} for name in configs}
    for fold, (train_idx, test_idx) in enumerate(stratified_folds(examples, folds)):
        fold_dir = work / f"fold{fold}"
        fold_dir.mkdir()
        data = write_nlu_file((examples[i] for i in train_idx), fold_dir / "train.yml")
        test = [examples[i] for i in test_idx]
        langid = fold_language_model(examples, train_idx)
        for name, config in configs.items():
            predicted = predict(train(config, data, fold_dir, name), [e.text for e in test])
            scores = per_variety(test, predicted, langid)
            for variety, row in scores.items():
                target = sums[name].setdefault(variety, {k: 0.0 for k in row})
                for key, value in row.items():
                    target[key] += value / folds
    return {
        name: {v: {k: round(x, 4) for k, x in row.items()} for v, row in table.items()} for name, table in sums.items()
    }


def markdown(results: dict) -> str:
    """The tables of nlu_results.md."""
    lines = [
        "# NLU: ours vs the `rasa init` baseline",
        "",
        f"Held-out set: {results.get('heldout_set', 'tests/data/heldout')}; trained on data/nlu. "
        f"Targets: intent macro-F1 >= {TARGET_F1}, "
        f"language id >= {TARGET_LANGID} per variety. `nlu_fallback` counts as a miss.",
        "",
    ]
    sections = [("Held-out", {n: r["varieties"] for n, r in results["heldout"].items()})]
    if "cross_validation" in results:
        sections.append((f"{results['folds']}-fold cross-validation on data/nlu", results["cross_validation"]))
    for title, tables in sections:
        lines += [
            f"## {title}",
            "",
            "| variety | n | ours macro-F1 | baseline macro-F1 | ours accuracy | "
            "baseline accuracy | ours fallback | language id |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        ours, base = tables.get("ours", {}), tables.get("baseline", {})
        for variety in VARIETIES:
            if variety not in ours and variety not in base:
                continue
            o, b = ours.get(variety, {}), base.get(variety, {})
            lines.append(
                f"| {variety} | {int(o.get('n', b.get('n', 0)))} | {o.get('intent_macro_f1', '-')} | "
                f"{b.get('intent_macro_f1', '-')} | {o.get('intent_accuracy', '-')} | "
                f"{b.get('intent_accuracy', '-')} | {o.get('fallback_rate', '-')} | "
                f"{o.get('langid_accuracy', b.get('langid_accuracy', '-'))} |"
            )
        lines.append("")
    timing = ", ".join(f"{n} {r['train_seconds']} s" for n, r in results["heldout"].items())
    lines.append(
        f"NLU training time: {timing} (a shared 2-core machine, often under load; Rasa's training "
        "cache is off, every model is trained from scratch)."
    )
    return "\n".join(lines) + "\n"


def previous_results(path: Path) -> dict:
    """Results of an earlier run, so `--only ours` re-measures ours and keeps the baseline's figures."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("heldout", type=Path, help="folder of held-out sentences per variety, e.g. tests/data/heldout")
    parser.add_argument("--folds", type=int, default=0, help="also run k-fold cross-validation (k >= 2)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench")
    parser.add_argument(
        "--only", choices=sorted(CONFIGS), help="re-evaluate one configuration, keeping the other's figures from <out>"
    )
    parser.add_argument("--keep", type=Path, help="keep the trained models in this folder (not models/)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    # Rasa's training cache keys on data and config, not on our components' code: a model trained after a
    # change to nlu/ could silently reuse the previous classifier. Every evaluation trains from scratch.
    os.environ["RASA_MAX_CACHE_SIZE"] = "0"
    configs = {args.only: CONFIGS[args.only]} if args.only else CONFIGS
    results = previous_results(args.out / "nlu_results.json") if args.only else {}
    results["heldout_set"] = str(args.heldout)
    with tempfile.TemporaryDirectory(prefix="nlu-evaluate-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        results.setdefault("heldout", {}).update(heldout_scores(work, configs, args.heldout))
        if args.folds >= 2:
            results["folds"] = args.folds
            results.setdefault("cross_validation", {}).update(cross_validation(work, configs, args.folds))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "nlu_results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    (args.out / "nlu_results.md").write_text(markdown(results), encoding="utf-8")
    print(markdown(results))
    return results


if __name__ == "__main__":
    main()
