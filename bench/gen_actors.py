#!/usr/bin/env python3
"""Writes a one-issue stakeholder table of N random actors (Actor,Capability,Position,Salience):
capability uniform in [1,100], position in [0,100], salience in [0.1,1], fixed seed, so timings
of bdm at 1000, 3000 or 10,000 actors are reproducible (bench/speed_table.sh uses it).

Usage: bench/gen_actors.py N [SEED] > actors.csv
"""
import random
import sys

n = int(sys.argv[1])
rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 2026)
out = ["Actor,Capability,Position,Salience"]
for i in range(n):
    out.append(f"a{i},{rng.uniform(1, 100):.6f},{rng.uniform(0, 100):.6f},{rng.uniform(0.1, 1):.6f}")
sys.stdout.write("\n".join(out) + "\n")
