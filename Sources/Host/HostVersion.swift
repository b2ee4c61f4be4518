/// Chloe's version, printed by `chloe --version`.
public let chloeVersion = "0.1.0"
