"""The organisers' baseline: hot, dry and windy means an alert."""


def predict(temperature: float, humidity: float, wind: float) -> bool:
    return temperature > 30 and humidity < 30 and wind > 20
