"""Codabench's ingestion contract: input data, output folder, this program, the participant's code."""

import importlib.util
import pathlib
import sys

input_dir, output_dir, _program_dir, code_dir = (pathlib.Path(path) for path in sys.argv[1:5])
spec = importlib.util.spec_from_file_location("model", code_dir / "model.py")
model = importlib.util.module_from_spec(spec)
spec.loader.exec_module(model)
lines = ["id,prediction"]
for row in (input_dir / "readings.csv").read_text().splitlines()[1:]:
    key, temperature, humidity, wind = row.split(",")
    lines.append(f"{key},{int(model.predict(float(temperature), float(humidity), float(wind)))}")
(output_dir / "predictions.csv").write_text("\n".join(lines) + "\n")
print(f"{len(lines) - 1} readings predicted")
