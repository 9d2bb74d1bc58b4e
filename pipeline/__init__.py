"""ADC resistance literature miner: drug - resistance mechanism - counter-strategy triples."""

__version__ = "0.1.0"
