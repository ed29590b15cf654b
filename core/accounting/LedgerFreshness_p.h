#pragma once

// Freshness for the Ledger's summaries (docs/accounting.md, "Silent hosts"): when each host was
// last heard from on our own clock, and the silence of a running job's hosts up to now, so its
// coverage falls while its hosts are silent instead of freezing until they speak again.

#include "accounting/LedgerState_p.h"

#include <unordered_map>

namespace greenpulse::core::ledgerfreshness {

// Records that `host` was heard from: at `receiptNs` (our clock), or at `nowNs` when the message
// carries no receipt time (fed directly, as in tests and replays).
void heard(LedgerState::Host &host, TimeNs receiptNs, TimeNs nowNs);

// When `host` was last heard from on our clock; after a restart, before any new sample, its
// last sample's own time.
TimeNs lastHeard(const LedgerState::Host &host);

// Per running job (idle excluded): the host-seconds its hosts have been silent at `nowNs` beyond
// `maxGapSeconds` (an interval that long will not be integrated when they speak again). One pass
// over the hosts.
std::unordered_map<const LedgerState::Job *, double>
silentSeconds(const LedgerState &state, double maxGapSeconds, TimeNs nowNs);

// Puts `silent` host-seconds into a running job's summary: silentSeconds, and its coverage
// counted up to now.
void addSilence(JobSummary &summary, double silent);

} // namespace greenpulse::core::ledgerfreshness
