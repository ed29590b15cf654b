#include "accounting/LedgerFootprint_p.h"
#include "accounting/LedgerIntegration_p.h"

#include <algorithm>

namespace greenpulse::core::ledgerintegration {

namespace {

using Job = LedgerState::Job;
using Host = LedgerState::Host;
using Span = LedgerState::Span;
constexpr TimeNs kOpen = LedgerState::kOpen;

double secondsBetween(TimeNs a, TimeNs b)
{
    return static_cast<double>(b - a) / 1e9;
}

// The split points of (t0, t1]: its ends and every start/end of a candidate inside it, sorted.
void cutPoints(const std::vector<Job *> &cand, TimeNs t0, TimeNs t1, std::vector<TimeNs> &cuts)
{
    cuts.clear();
    cuts.push_back(t0);
    cuts.push_back(t1);
    for (const Job *j : cand) {
        for (const Span &s : j->spans) {
            if (s.start > t0 && s.start < t1) {
                cuts.push_back(s.start);
            }
            if (s.end != kOpen && s.end > t0 && s.end < t1) {
                cuts.push_back(s.end);
            }
        }
        for (const auto &[node, spans] : j->nodes) { // a job on several hosts: each one's spans
            for (const Span &s : spans) {
                if (s.start > t0 && s.start < t1) {
                    cuts.push_back(s.start);
                }
                if (s.end != kOpen && s.end > t0 && s.end < t1) {
                    cuts.push_back(s.end);
                }
            }
        }
    }
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
}

// Integrates one interval of one host's power or flow and credits it to the jobs that ran then;
// `sampleJob`: the job its closing sample names (empty: none).
void integrate(LedgerState &state, const LedgerConfig &cfg, LedgerCounters &counters, Host &host,
               const Interval &interval, const QString &sampleJob, ledgerdevices::Breakdown closing)
{
    const Kind kind = interval.kind;
    std::vector<Job *> &cand = state.scratch;
    const bool gap =
        !interval.measured && (interval.lost || interval.seconds() > cfg.maxGapSeconds);
    if (gap) {
        ++(kind == Kind::Power ? counters.gaps : counters.flowGaps);
    }
    if (kind == Kind::Flow) {
        (gap ? host.waterUncovered : host.waterCovered) += interval.seconds();
    }
    state.candidates(host.name, interval.t0, interval.t1, cand);
    std::vector<TimeNs> &cuts = state.cuts;
    cutPoints(cand, interval.t0, interval.t1, cuts);
    const ledgerfootprint::HostFactors factors = kind == Kind::Power
                                                     ? ledgerfootprint::factorsFor(state, cfg, host)
                                                     : ledgerfootprint::HostFactors{};
    if (kind == Kind::Power && !gap) {
        ledgerfootprint::addCuts(factors, interval.t0, interval.t1, cuts); // intensity changes
    }

    // The job a sample names counts only where no control message says otherwise.
    Job *sampleOwner = nullptr;
    if (!sampleJob.isEmpty()) {
        Job &j = state.job(sampleJob);
        if (!j.knownStart()) {
            sampleOwner = &j;
        }
    }

    // The GPUs jobs hold, when both ends list them (LedgerDevices.cpp); nullptr: none.
    ledgerdevices::DeviceSplit *devices = nullptr;
    const ledgerdevices::Breakdown opening{&host.components, &host.componentsCounterId};
    if (kind == Kind::Power && !gap &&
        state.devices->prepare(host.name, opening, closing, interval.t0, interval.t1, cand)) {
        devices = state.devices.get();
    }
    bool clamped = false; // the GPUs drew more than the host in some piece

    std::vector<Job *> &active = state.active; // every job sharing a piece, however many
    for (size_t i = 0; i + 1 < cuts.size(); ++i) {
        const TimeNs a = cuts[i];
        const TimeNs b = cuts[i + 1];
        const TimeNs mid = a + (b - a) / 2;
        active.clear();
        for (Job *j : cand) {
            if (j->activeOn(host.name, mid)) {
                active.push_back(j);
            }
        }
        if (active.empty()) {
            const bool ownerEnded =
                sampleOwner && sampleOwner->fromControl && !sampleOwner->spans.empty() &&
                sampleOwner->spans.back().end != kOpen && a >= sampleOwner->spans.back().end;
            active.push_back((sampleOwner && !ownerEnded) ? sampleOwner : state.idle);
        }
        const double seconds = secondsBetween(a, b);
        for (Job *j : active) {
            if (j->firstNs == 0 || a < j->firstNs) {
                j->firstNs = a;
            }
            j->lastEndNs = std::max(j->lastEndNs, b);
            if (kind == Kind::Power) {
                j->hosts.insert(host.name);
            }
        }
        if (gap) {
            for (Job *j : active) {
                (kind == Kind::Power ? j->uncovered : j->waterUncovered) += seconds;
            }
            continue;
        }
        // The piece's energy (or flow volume), and each active job's part of it: an equal share,
        // or with GPUs, what its GPUs drew plus an equal share of the rest.
        const double whole = (interval.valueAt(a) + interval.valueAt(b)) * 0.5 * seconds;
        const double n = static_cast<double>(active.size());
        std::vector<double> &shares = state.shares;
        shares.assign(active.size(), whole / n);
        if (devices) {
            clamped = devices->split(active, a, b, whole, shares) || clamped;
        }
        const ledgerfootprint::PieceFactors piece =
            kind == Kind::Power ? ledgerfootprint::pieceAt(factors, mid, seconds)
                                : ledgerfootprint::PieceFactors{};
        for (size_t k = 0; k < active.size(); ++k) {
            Job *j = active[k];
            const double area = shares[k];
            if (kind == Kind::Power) {
                j->joules += area;
                ledgerfootprint::charge(*j, factors, piece, area, seconds, n); // carbon, water...
                j->covered += seconds;
                if (b > j->activeUntilNs) {
                    j->activeSeconds += secondsBetween(std::max(a, j->activeUntilNs), b);
                    j->activeUntilNs = b;
                }
            } else {
                j->liters += area / 60.0;
                j->waterCovered += seconds;
            }
        }
    }
    if (clamped) {
        ++counters.gpuEnergyClamped;
    }
    if (kind == Kind::Power) {
        ledgerfootprint::finish(factors, interval.t1);
    }
}

// Whether samples may be missing between the host's latest sample of a kind and the next one
// (docs/accounting.md, "Sequence numbers"); counts what "seq" shows.
bool samplesLost(const LedgerState::Last &latest, std::optional<quint64> seq,
                 LedgerCounters &counters, Host &host)
{
    if (!seq || !latest.hasSeq) {
        return latest.restored;
    }
    if (*seq == latest.seq + 1) {
        return false; // continuous, even across our own restart
    }
    if (*seq > latest.seq + 1) {
        const quint64 missing = *seq - latest.seq - 1;
        counters.missingSamples += missing;
        host.missingSamples += missing;
        return true;
    }
    ++counters.seqRestarts; // the publisher started over: the gap rule alone decides
    return latest.restored;
}

// With a counter on both ends under the same id, the interval's energy is their difference:
// spread evenly over it (the counter interpolated linearly, so a job boundary inside splits it in
// proportion to time), and measured, so neither its length nor lost samples make it a gap.
void measureByCounter(const LedgerState::Last &latest, const std::optional<EnergyReading> &counter,
                      LedgerCounters &counters, Interval &interval)
{
    if (!counter || !latest.hasCounter || interval.kind != Kind::Power) {
        return;
    }
    if (latest.counterId != counter->counterId) {
        ++counters.counterRestarts; // a new counter: no difference across it
        return;
    }
    const double joules = counter->joules - latest.energyJ;
    if (joules < 0 || interval.t1 <= interval.t0) {
        ++counters.counterRegressions; // the agent broke its promise: trust the watts instead
        return;
    }
    interval.v0 = interval.v1 = joules / interval.seconds();
    interval.measured = true;
    ++counters.counterIntervals;
}

} // namespace

void take(LedgerState &state, const LedgerConfig &cfg, LedgerCounters &counters, Host &host,
          Kind kind, TimeNs t, double v, std::optional<quint64> seq, const QString &sampleJob,
          const std::optional<EnergyReading> &counter, ledgerdevices::Breakdown breakdown)
{
    LedgerState::Last &latest = kind == Kind::Power ? host.power : host.flow;
    if (latest.has) {
        const bool lost = samplesLost(latest, seq, counters, host);
        Interval interval{kind, latest.t, latest.v, t, v, lost};
        measureByCounter(latest, counter, counters, interval);
        integrate(state, cfg, counters, host, interval, sampleJob, breakdown);
    }
    // The breakdown is the next interval's opening end (and what the dashboard shows).
    if (breakdown.components && (!breakdown.components->empty() || !host.components.empty())) {
        host.components = *breakdown.components; // at most kMaxComponents
        host.componentsCounterId = breakdown.counterId ? *breakdown.counterId : QString();
    }
    latest = {true, t, v, seq.has_value(), seq.value_or(0), false};
    if (counter) {
        latest.hasCounter = true;
        latest.energyJ = counter->joules;
        latest.counterId = counter->counterId;
    }
    state.latestSampleNs = std::max(state.latestSampleNs, t);
    host.lastSeen = std::max(host.lastSeen, t);
}

} // namespace greenpulse::core::ledgerintegration
