#include "accounting/LedgerFreshness_p.h"

#include <algorithm>

namespace greenpulse::core::ledgerfreshness {

void heard(LedgerState::Host &host, TimeNs receiptNs, TimeNs nowNs)
{
    host.lastHeard = std::max(host.lastHeard, receiptNs > 0 ? receiptNs : nowNs);
}

TimeNs lastHeard(const LedgerState::Host &host)
{
    return host.lastHeard > 0 ? host.lastHeard : host.lastSeen;
}

std::unordered_map<const LedgerState::Job *, double>
silentSeconds(const LedgerState &state, double maxGapSeconds, TimeNs nowNs)
{
    std::unordered_map<const LedgerState::Job *, double> out;
    for (const auto &[name, host] : state.hosts) {
        if (host.current.empty() || !host.power.has) {
            continue;
        }
        const double silent = static_cast<double>(nowNs - lastHeard(host)) / 1e9;
        if (silent <= maxGapSeconds) {
            continue;
        }
        for (const LedgerState::Job *j : host.current) {
            if (j != state.idle) {
                out[j] += silent;
            }
        }
    }
    return out;
}

void addSilence(JobSummary &summary, double silent)
{
    if (!summary.running || silent <= 0) {
        return;
    }
    summary.silentSeconds = silent;
    const double seen = summary.coveredSeconds + summary.uncoveredSeconds + silent;
    summary.coverage = seen > 0 ? summary.coveredSeconds / seen : 0.0;
}

} // namespace greenpulse::core::ledgerfreshness
