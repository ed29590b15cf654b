#pragma once

namespace greenpulse::core {

struct LedgerConfig
{
    double maxGapSeconds = 10.0;      // longer gaps between samples are not integrated
    double pue = 1.0;                 // power usage effectiveness of the facility
    double carbonKgPerKwh = 0.632;    // grid carbon intensity (the proof of concept's factor)
    double futureToleranceSeconds = 60.0; // samples further ahead of the clock are rejected
};

} // namespace greenpulse::core
