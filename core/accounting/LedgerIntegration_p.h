#pragma once

// The integration rule of the Ledger (docs/accounting.md): the interval between two samples of
// one host and kind, integrated (trapezoid) and split among the jobs that ran in it, or counted
// as uncovered when it is a gap (longer than maxGap, lost samples by "seq", or the first
// interval after a restore that "seq" does not prove continuous).

#include "accounting/LedgerConfig.h"
#include "accounting/LedgerTypes.h"
#include "accounting/LedgerState_p.h"

#include <optional>

namespace greenpulse::core::ledgerintegration {

enum class Kind { Power, Flow };

inline constexpr double kJoulesPerKwh = 3.6e6;

// Integrates the interval since the host's previous sample of `kind` (if any), then makes
// (t, v, seq) its latest.
void take(LedgerState &state, const LedgerConfig &cfg, LedgerCounters &counters,
          LedgerState::Host &host, Kind kind, TimeNs t, double v, std::optional<quint64> seq,
          const QString &sampleJob);

} // namespace greenpulse::core::ledgerintegration
