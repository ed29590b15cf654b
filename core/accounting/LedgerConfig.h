#pragma once

#include "accounting/FootprintConfig.h"

namespace greenpulse::core {

// The accounting rules' settings. The defaults here are the programs' defaults too (the option
// table, core/options/OptionTable.cpp, reads them); 0 turns a bound or a clock rule off.
struct LedgerConfig
{
    double maxGapSeconds = 10.0;   // longer gaps between samples are not integrated
    double pue = 1.0;              // power usage effectiveness of the facility
    double carbonKgPerKwh = 0.632; // grid carbon intensity (the proof of concept's factor)
    // A timestamp further ahead of / behind its receipt time is replaced by the receipt time
    // (counted as clock_skew). docs/accounting.md, "Clocks".
    double maxClockAheadSeconds = 5.0;
    double maxClockBehindSeconds = 300.0;
    // Bounds on what a stream of new names can make the ledger hold (docs/accounting.md,
    // "Bounds"): messages that would create more are rejected and counted.
    int maxHosts = 10000;
    int maxJobs = 10000;             // running + ended ones still kept
    double maxNewIdsPerMinute = 600; // token bucket over new host names and job ids together
    double hostExpirySeconds = 3600; // a host silent this long leaves memory
    // Grid zones, water factors, embodied carbon (docs/footprint.md).
    FootprintConfig footprint;

    // Replaying recorded or synthetic streams (benchmarks): timestamps trusted as they are and
    // no bound on new names.
    static LedgerConfig forReplay()
    {
        LedgerConfig c;
        c.maxClockAheadSeconds = 0;
        c.maxClockBehindSeconds = 0;
        c.maxHosts = 0;
        c.maxJobs = 0;
        c.maxNewIdsPerMinute = 0;
        return c;
    }

    // Every field equal: the dashboard hands a changed config to its processor.
    friend bool operator==(const LedgerConfig &a, const LedgerConfig &b)
    {
        return a.maxGapSeconds == b.maxGapSeconds && a.pue == b.pue &&
               a.carbonKgPerKwh == b.carbonKgPerKwh &&
               a.maxClockAheadSeconds == b.maxClockAheadSeconds &&
               a.maxClockBehindSeconds == b.maxClockBehindSeconds && a.maxHosts == b.maxHosts &&
               a.maxJobs == b.maxJobs && a.maxNewIdsPerMinute == b.maxNewIdsPerMinute &&
               a.hostExpirySeconds == b.hostExpirySeconds && a.footprint == b.footprint;
    }
    friend bool operator!=(const LedgerConfig &a, const LedgerConfig &b) { return !(a == b); }
};

} // namespace greenpulse::core
