// The Ledger's defences against bad clocks and floods of names (docs/accounting.md, "Clocks"
// and "Bounds"): re-stamping, the new-id bounds and token bucket, forgetting ended jobs and
// expiring silent hosts.
#include "accounting/Ledger.h"
#include "accounting/LedgerNodes_p.h"
#include "accounting/LedgerState_p.h"
#include "protocol/JobId.h"

#include <algorithm>

namespace greenpulse::core {

namespace {
TimeNs secondsToNs(double seconds)
{
    return static_cast<TimeNs>(seconds * 1e9);
}
} // namespace

TimeNs Ledger::trustedTime(TimeNs t, TimeNs receiptNs, bool fromReceipt) const
{
    if (receiptNs == 0 || fromReceipt) {
        return t; // no receipt time (a replay), or the receipt time already
    }
    const TimeNs offset = t - receiptNs;
    const bool ahead =
        m_config.maxClockAheadSeconds > 0 && offset > secondsToNs(m_config.maxClockAheadSeconds);
    const bool behind =
        m_config.maxClockBehindSeconds > 0 && -offset > secondsToNs(m_config.maxClockBehindSeconds);
    return ahead || behind ? receiptNs : t;
}

TimeNs Ledger::judgeClock(TimeNs t, TimeNs receiptNs, bool fromReceipt, HostClock *clock)
{
    if (receiptNs == 0 || fromReceipt) {
        return t;
    }
    if (clock) {
        clock->offsetNs = t - receiptNs;
        clock->hasOffset = true;
    }
    const TimeNs trusted = trustedTime(t, receiptNs, fromReceipt);
    if (trusted != t) {
        ++m_counters.clockSkew;
        if (clock) {
            ++clock->restamped;
        }
    }
    return trusted;
}

std::optional<Ledger::Result> Ledger::gateNewIds(int newHosts, int newJobs)
{
    if ((newHosts > 0 && m_config.maxHosts > 0 &&
         d->hosts.size() >= static_cast<size_t>(m_config.maxHosts)) ||
        (newJobs > 0 && m_config.maxJobs > 0 &&
         d->jobs.size() >= static_cast<size_t>(m_config.maxJobs))) {
        ++m_counters.tooManyIds;
        return Result::TooManyIds;
    }
    const double perMinute = m_config.maxNewIdsPerMinute;
    if (perMinute <= 0) {
        return std::nullopt;
    }
    // A bucket of a minute's worth of ids, refilled continuously.
    const TimeNs now = m_clock.nowNs();
    if (now > m_idTokensNs) {
        const double refill = static_cast<double>(now - m_idTokensNs) / 60e9 * perMinute;
        m_idTokens = std::min(perMinute, m_idTokens + refill);
        m_idTokensNs = now;
    }
    const double wanted = newHosts + newJobs;
    if (m_idTokens < wanted) {
        ++m_counters.idRateLimited;
        return Result::IdRateLimited;
    }
    m_idTokens -= wanted;
    return std::nullopt;
}

QStringList Ledger::evictableJobs(TimeNs nowNs, TimeNs minAgeNs) const
{
    // A host may still send samples this far behind (within the clock bound): they must find the
    // job's spans to split their intervals at its end.
    const TimeNs keep = std::max(minAgeNs, secondsToNs(m_config.maxClockBehindSeconds));
    QStringList out;
    for (const auto &[id, j] : d->jobs) {
        if (j.get() == d->idle || j->running() || j->reportingHosts > 0) {
            continue;
        }
        const TimeNs end = j->fromControl ? j->endNs() : j->lastEndNs;
        if (end != LedgerState::kOpen && end <= nowNs - keep) {
            out << id;
        }
    }
    return out;
}

bool Ledger::forgetJob(const QString &jobId)
{
    const auto it = d->jobs.find(jobId);
    if (it == d->jobs.end() || it->second.get() == d->idle) {
        return false;
    }
    LedgerState::Job *j = it->second.get();
    if (j->running() || j->reportingHosts > 0) {
        return false;
    }
    if (j->fromControl) {
        std::vector<LedgerState::Job *> &list = d->candidateList(*j);
        list.erase(std::remove(list.begin(), list.end(), j), list.end());
        if (!j->targetHost.isEmpty() && list.empty()) {
            d->hostJobs.remove(j->targetHost);
        }
        ledgernodes::forget(*d, *j);
    }
    for (auto &[name, host] : d->hosts) {
        host.current.erase(std::remove(host.current.begin(), host.current.end(), j),
                           host.current.end());
    }
    d->jobs.erase(it);
    ++m_counters.jobsForgotten;
    ++m_revision;
    return true;
}

int Ledger::expireHosts(TimeNs nowNs)
{
    if (m_config.hostExpirySeconds <= 0) {
        return 0;
    }
    const TimeNs cutoff = nowNs - secondsToNs(m_config.hostExpirySeconds);
    int expired = 0;
    for (auto it = d->hosts.begin(); it != d->hosts.end();) {
        LedgerState::Host &h = it->second;
        bool held = h.lastSeen > cutoff;
        const auto targeted = d->hostJobs.constFind(h.name);
        if (!held && targeted != d->hostJobs.constEnd()) {
            held = std::any_of(targeted->begin(), targeted->end(),
                               [](const LedgerState::Job *j) { return j->running(); });
        }
        if (held) {
            ++it;
            continue;
        }
        for (LedgerState::Job *j : h.current) {
            j->currentWatts -= j->hostWatts.take(h.name);
        }
        if (!h.sampleJob.isEmpty()) {
            LedgerState::Job &named = d->job(h.sampleJob);
            if (--named.reportingHosts <= 0) {
                named.reportingHosts = 0;
                named.sampleRunning = false;
            }
        }
        it = d->hosts.erase(it);
        ++expired;
    }
    if (expired > 0) {
        m_counters.hostsExpired += static_cast<quint64>(expired);
        ++m_revision;
    }
    return expired;
}

} // namespace greenpulse::core
