#pragma once

// The integration rule of the Ledger (docs/accounting.md): the interval between two samples of
// one host and kind, integrated (trapezoid) and split among the jobs that ran in it, or counted
// as uncovered when it is a gap (longer than maxGap, lost samples by "seq", or the first
// interval after a restore that "seq" does not prove continuous).

#include "accounting/LedgerConfig.h"
#include "accounting/LedgerDevices_p.h"
#include "accounting/LedgerState_p.h"
#include "accounting/LedgerTypes.h"

#include <optional>

namespace greenpulse::core::ledgerintegration {

enum class Kind { Power, Flow };

inline constexpr double kJoulesPerKwh = 3.6e6;

// One interval of one host's power or flow: from its previous sample (t0, v0) to its new one
// (t1, v1), integrated by the trapezoid rule.
struct Interval
{
    Kind kind = Kind::Power;
    TimeNs t0 = 0;
    double v0 = 0;
    TimeNs t1 = 0;
    double v1 = 0;
    bool lost = false; // samples are known (or may be) missing inside it: a gap however short
    // Its energy is a counter difference (v0 = v1 = the average power): known exactly however
    // long the interval or whatever was lost inside it, so never a gap.
    bool measured = false;

    double seconds() const { return static_cast<double>(t1 - t0) / 1e9; }
    // The value at `t` inside it, linearly interpolated (exact for the trapezoid rule).
    double valueAt(TimeNs t) const
    {
        return v0 + (v1 - v0) * static_cast<double>(t - t0) / static_cast<double>(t1 - t0);
    }
};

// A power sample's cumulative energy counter (docs/protocol.md, "Energy counters").
struct EnergyReading
{
    double joules = 0;
    QString counterId;
};

// Integrates the interval since the host's previous sample of `kind` (if any), then makes
// (t, v, seq, counter, breakdown) its latest. With a counter on both samples under the same id,
// the interval's energy is their difference (docs/accounting.md, "Energy counters"); with a
// breakdown on both, each GPU's energy goes to the jobs holding it ("GPUs a job holds").
void take(LedgerState &state, const LedgerConfig &cfg, LedgerCounters &counters,
          LedgerState::Host &host, Kind kind, TimeNs t, double v, std::optional<quint64> seq,
          const QString &sampleJob, const std::optional<EnergyReading> &counter = std::nullopt,
          ledgerdevices::Breakdown breakdown = {});

} // namespace greenpulse::core::ledgerintegration
