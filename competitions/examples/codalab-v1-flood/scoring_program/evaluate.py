"""CodaLab's contract: argv[1] holds ref/ and res/, argv[2] receives scores.txt."""

import pathlib
import sys

input_dir, output_dir = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])


def read(path):
    rows = path.read_text().split("\n")[1:]
    return dict(row.split(",")[:2] for row in rows if row.strip())


truth = read(input_dir / "ref" / "truth.csv")
given = read(next((input_dir / "res").glob("*.csv")))
tp = sum(truth[key] == "1" and given.get(key) == "1" for key in truth)
fp = sum(truth[key] == "0" and given.get(key) == "1" for key in truth)
fn = sum(truth[key] == "1" and given.get(key) != "1" for key in truth)
f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
accuracy = sum(given.get(key) == value for key, value in truth.items()) / len(truth)
(output_dir / "scores.txt").write_text(f"f1: {f1:.6f}\naccuracy: {accuracy:.6f}\nDuration: 0.1s\n")
print(f"{len(truth)} sites scored")
