"""Your model: called once per sensor reading; return True to raise an alert."""


def predict(temperature: float, humidity: float, wind: float) -> bool:
    return False
