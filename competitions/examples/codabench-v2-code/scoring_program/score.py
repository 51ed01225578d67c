"""Codabench's scoring contract: argv[1] holds ref/ and res/, argv[2] receives scores.json."""

import json
import pathlib
import sys

input_dir, output_dir = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])


def read(path):
    return dict(row.split(",")[:2] for row in path.read_text().splitlines()[1:] if row.strip())


truth, given = read(input_dir / "ref" / "alerts.csv"), read(input_dir / "res" / "predictions.csv")
missed = sum(value == "1" and given.get(key) != "1" for key, value in truth.items())
accuracy = sum(given.get(key) == value for key, value in truth.items()) / len(truth)
(output_dir / "scores.json").write_text(json.dumps({"missed": missed, "accuracy": accuracy}))
(output_dir / "detailed_results.html").write_text(f"<p>{missed} alerts missed out of {len(truth)} readings.</p>")
