#include "accounting/LedgerDevices_p.h"
#include "accounting/LedgerState_p.h"

#include <algorithm>

namespace greenpulse::core {

namespace {
// Ended jobs stay candidates for attribution this long after their end, so a host whose samples
// lag behind the control messages still splits its intervals at the right instant.
constexpr TimeNs kEndedCandidateNs = 3600LL * 1'000'000'000LL;
} // namespace

LedgerState::LedgerState() : devices(std::make_unique<ledgerdevices::DeviceSplit>()) {}

LedgerState::~LedgerState() = default;

LedgerState::Job &LedgerState::job(const QString &id)
{
    auto it = jobs.find(id);
    if (it == jobs.end()) {
        auto j = std::make_unique<Job>();
        j->id = id;
        it = jobs.emplace(id, std::move(j)).first;
    }
    return *it->second;
}

LedgerState::Host &LedgerState::host(const QString &name)
{
    auto it = hosts.find(name);
    if (it == hosts.end()) {
        Host h;
        h.name = name;
        it = hosts.emplace(name, std::move(h)).first;
    }
    return it->second;
}

std::vector<LedgerState::Job *> &LedgerState::candidateList(const Job &job)
{
    return job.targetHost.isEmpty() ? allHostJobs : hostJobs[job.targetHost];
}

void LedgerState::candidates(const QString &hostName, TimeNs t0, TimeNs t1,
                             std::vector<Job *> &out) const
{
    out.clear();
    auto consider = [&](Job *j) {
        for (const Span &s : j->spans) {
            if (s.start < t1 && s.end > t0) {
                out.push_back(j);
                return;
            }
        }
    };
    for (Job *j : allHostJobs) {
        consider(j);
    }
    const auto it = hostJobs.constFind(hostName);
    if (it != hostJobs.constEnd()) {
        for (Job *j : it.value()) {
            consider(j);
        }
    }
}

void LedgerState::pruneCandidates(TimeNs now)
{
    auto stale = [now](Job *j) {
        return !j->running() && !j->spans.empty() && j->spans.back().end != kOpen &&
               now - j->spans.back().end > kEndedCandidateNs;
    };
    allHostJobs.erase(std::remove_if(allHostJobs.begin(), allHostJobs.end(), stale),
                      allHostJobs.end());
    for (auto it = hostJobs.begin(); it != hostJobs.end();) {
        auto &v = it.value();
        v.erase(std::remove_if(v.begin(), v.end(), stale), v.end());
        it = v.empty() ? hostJobs.erase(it) : std::next(it);
    }
}

} // namespace greenpulse::core
