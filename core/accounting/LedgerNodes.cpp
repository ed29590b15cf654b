#include "accounting/LedgerNodes_p.h"

#include <QJsonArray>
#include <algorithm>

namespace greenpulse::core::ledgernodes {

namespace {

using Job = LedgerState::Job;
using Span = LedgerState::Span;
constexpr TimeNs kOpen = LedgerState::kOpen;

bool isOpen(const std::vector<Span> &spans)
{
    return !spans.empty() && spans.back().end == kOpen;
}

void listAsCandidate(LedgerState &state, Job &job, const QString &host)
{
    std::vector<Job *> &list = state.hostJobs[host];
    if (std::find(list.begin(), list.end(), &job) == list.end()) {
        list.push_back(&job);
    }
}

void closeOn(LedgerState &state, Job &job, const QString &host, TimeNs t)
{
    std::vector<Span> &spans = job.nodes[host];
    if (isOpen(spans)) {
        spans.back().end = std::max(t, spans.back().start);
    }
    job.currentWatts -= job.hostWatts.take(host);
    const auto h = state.hosts.find(host);
    if (h != state.hosts.end()) {
        auto &current = h->second.current;
        current.erase(std::remove(current.begin(), current.end(), &job), current.end());
    }
}

QJsonArray spansToJson(const std::vector<Span> &spans)
{
    QJsonArray out;
    for (const Span &s : spans) {
        out.append(QJsonArray{QString::number(s.start),
                              s.end == kOpen ? QJsonValue() : QJsonValue(QString::number(s.end))});
    }
    return out;
}

} // namespace

bool isNodeStart(const Job &job, const QString &host)
{
    if (!job.nodes.empty()) {
        return true;
    }
    return job.fromControl && job.running() && !host.isEmpty() && !job.targetHost.isEmpty() &&
           host != job.targetHost;
}

void startNode(LedgerState &state, Job &job, const QString &host, TimeNs t)
{
    if (host.isEmpty()) {
        return; // a job on several hosts starts on a named host only
    }
    if (job.nodes.empty()) {
        job.nodes[job.targetHost] = job.spans; // the first host keeps what it had
    }
    std::vector<Span> &spans = job.nodes[host];
    if (isOpen(spans)) {
        return; // a repeated start changes nothing
    }
    spans.push_back({t, kOpen});
    listAsCandidate(state, job, host);
    if (!isOpen(job.spans)) {
        job.spans.push_back({t, kOpen});
    } else if (t < job.spans.back().start &&
               (job.spans.size() < 2 || t >= job.spans[job.spans.size() - 2].end)) {
        job.spans.back().start = t; // this host started first (the messages crossed)
    }
    if (job.firstNs == 0 || t < job.firstNs) {
        job.firstNs = t;
    }
}

std::optional<TimeNs> endNode(LedgerState &state, Job &job, const QString &host, TimeNs t)
{
    if (!host.isEmpty() && job.nodes.count(host) != 0) {
        closeOn(state, job, host, t);
    } else {
        for (auto &[name, spans] : job.nodes) {
            closeOn(state, job, name, t);
        }
    }
    TimeNs last = 0;
    for (const auto &[name, spans] : job.nodes) {
        if (isOpen(spans)) {
            return std::nullopt;
        }
        if (!spans.empty()) {
            last = std::max(last, spans.back().end);
        }
    }
    return std::max(last, t);
}

void forget(LedgerState &state, Job &job)
{
    for (const auto &[name, spans] : job.nodes) {
        const auto it = state.hostJobs.find(name);
        if (it == state.hostJobs.end()) {
            continue;
        }
        it->erase(std::remove(it->begin(), it->end(), &job), it->end());
        if (it->empty()) {
            state.hostJobs.erase(it);
        }
    }
}

QStringList hostsOf(const Job &job)
{
    QStringList out;
    for (const auto &[name, spans] : job.nodes) {
        out << name; // std::map: sorted
    }
    return out;
}

void takeDetails(Job &job, const ControlMessage &message)
{
    if (!message.user.isEmpty()) {
        job.user = message.user;
    }
    if (!message.name.isEmpty()) {
        job.name = message.name;
    }
    if (!message.gpus.isEmpty()) {
        job.gpus[message.host] = message.gpus;
    }
    if (!message.exitState.isEmpty()) {
        job.exitState = message.exitState;
    }
}

void save(const Job &job, QJsonObject *o)
{
    if (!job.nodes.empty()) {
        QJsonObject nodes;
        for (const auto &[name, spans] : job.nodes) {
            nodes[name] = spansToJson(spans);
        }
        (*o)[QLatin1String("nodes")] = nodes;
    }
    if (!job.user.isEmpty()) {
        (*o)[QLatin1String("user")] = job.user;
    }
    if (!job.name.isEmpty()) {
        (*o)[QLatin1String("name")] = job.name;
    }
    if (!job.gpus.empty()) {
        QJsonObject gpus;
        for (const auto &[host, devices] : job.gpus) {
            gpus[host] = QJsonArray::fromStringList(devices);
        }
        (*o)[QLatin1String("gpus")] = gpus;
    }
    if (!job.exitState.isEmpty()) {
        (*o)[QLatin1String("exit_state")] = job.exitState;
    }
}

void load(const QJsonObject &o, LedgerState &state, Job &job)
{
    const QJsonObject nodes = o.value(QLatin1String("nodes")).toObject();
    for (auto it = nodes.begin(); it != nodes.end(); ++it) {
        std::vector<Span> &spans = job.nodes[it.key()];
        for (const QJsonValue &sv : it.value().toArray()) {
            const QJsonArray a = sv.toArray();
            const TimeNs start = a.at(0).toString().toLongLong();
            spans.push_back({start, a.at(1).isNull() ? kOpen : a.at(1).toString().toLongLong()});
        }
        if (job.fromControl && it.key() != job.targetHost) {
            listAsCandidate(state, job, it.key());
        }
    }
    job.user = o.value(QLatin1String("user")).toString();
    job.name = o.value(QLatin1String("name")).toString();
    const QJsonObject gpus = o.value(QLatin1String("gpus")).toObject();
    for (auto it = gpus.begin(); it != gpus.end(); ++it) {
        QStringList devices;
        for (const QJsonValue &d : it.value().toArray()) {
            devices << d.toString();
        }
        job.gpus[it.key()] = devices;
    }
    job.exitState = o.value(QLatin1String("exit_state")).toString();
}

} // namespace greenpulse::core::ledgernodes
