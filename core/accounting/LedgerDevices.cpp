#include "accounting/LedgerDevices_p.h"

#include <QJsonValue>
#include <algorithm>

namespace greenpulse::core::ledgerdevices {

namespace {

using Job = LedgerState::Job;

// The devices a job holds on `host`: those its start on that host named, else those of a start
// naming no host; nullptr when none.
const QStringList *devicesOn(const Job &job, const QString &host)
{
    if (job.gpus.empty()) {
        return nullptr;
    }
    auto it = job.gpus.find(host);
    if (it == job.gpus.end()) {
        it = job.gpus.find(QString());
    }
    return it == job.gpus.end() || it->second.isEmpty() ? nullptr : &it->second;
}

const PowerComponent *named(const std::vector<PowerComponent> &components, const QString &name)
{
    for (const PowerComponent &c : components) {
        if (c.name == name) {
            return &c;
        }
    }
    return nullptr;
}

// "gpu<N>" -> N; -1 otherwise.
int gpuIndex(const QString &name)
{
    if (!name.startsWith(QLatin1String("gpu")) || name.size() < 4) {
        return -1;
    }
    bool ok = false;
    const int index = QStringView(name).sliced(3).toInt(&ok);
    return ok && index >= 0 ? index : -1;
}

} // namespace

void save(const LedgerState::Host &host, QJsonObject *o)
{
    if (host.components.empty()) {
        return;
    }
    QJsonObject parts; // as on the wire: {"gpu0": {"w": 250, "j": 1234.5, "uuid": "GPU-..."}}
    for (const PowerComponent &c : host.components) {
        QJsonObject part{{QStringLiteral("w"), c.watts}};
        if (c.energyJ) {
            part[QLatin1String("j")] = *c.energyJ;
        }
        if (!c.uuid.isEmpty()) {
            part[QLatin1String("uuid")] = c.uuid;
        }
        parts[c.name] = part;
    }
    (*o)[QLatin1String("components")] = parts;
    (*o)[QLatin1String("components_counter_id")] = host.componentsCounterId;
}

void load(const QJsonObject &o, LedgerState::Host &host)
{
    const QJsonObject parts = o.value(QLatin1String("components")).toObject();
    host.components.clear();
    for (auto it = parts.begin(); it != parts.end(); ++it) {
        const QJsonObject part = it.value().toObject();
        PowerComponent c;
        c.name = it.key();
        c.watts = part.value(QLatin1String("w")).toDouble();
        if (part.value(QLatin1String("j")).isDouble()) {
            c.energyJ = part.value(QLatin1String("j")).toDouble();
        }
        c.uuid = part.value(QLatin1String("uuid")).toString();
        host.components.push_back(std::move(c));
    }
    host.componentsCounterId = o.value(QLatin1String("components_counter_id")).toString();
}

bool isGpu(const PowerComponent &component)
{
    return !component.uuid.isEmpty() || gpuIndex(component.name) >= 0;
}

bool DeviceSplit::prepare(const QString &host, Breakdown opening, Breakdown closing, TimeNs t0,
                          TimeNs t1, const std::vector<Job *> &candidates)
{
    if (!closing.components || closing.components->empty() || !opening.components ||
        opening.components->empty() || t1 <= t0) {
        return false;
    }
    if (std::none_of(candidates.begin(), candidates.end(),
                     [&host](const Job *j) { return devicesOn(*j, host) != nullptr; })) {
        return false;
    }
    m_t0 = t0;
    m_t1 = t1;
    m_gpus.clear();
    m_at.clear();
    m_holds.clear();
    const bool sameCounter = opening.counterId && closing.counterId &&
                             !closing.counterId->isEmpty() &&
                             *opening.counterId == *closing.counterId;
    for (const PowerComponent &c1 : *closing.components) {
        const PowerComponent *c0 = isGpu(c1) ? named(*opening.components, c1.name) : nullptr;
        if (!c0 || m_gpus.size() >= static_cast<size_t>(kMaxComponents)) {
            continue; // a GPU listed on one end only: its energy stays in the shared rest
        }
        Gpu gpu;
        gpu.w0 = c0->watts;
        gpu.w1 = c1.watts;
        if (sameCounter && c0->energyJ && c1.energyJ && *c1.energyJ >= *c0->energyJ) {
            gpu.measured = true;
            gpu.joules = *c1.energyJ - *c0->energyJ;
        }
        m_gpus.push_back(gpu);
        m_at.push_back(&c1);
    }
    for (const Job *j : candidates) {
        const QStringList *devices = devicesOn(*j, host);
        quint64 bits = 0;
        for (qsizetype d = 0; devices && d < devices->size(); ++d) {
            bits |= bitOf(devices->at(d));
        }
        if (bits != 0) {
            m_holds.emplace_back(j, bits);
        }
    }
    return !m_holds.empty();
}

quint64 DeviceSplit::bitOf(const QString &device) const
{
    bool isIndex = false;
    const int index = device.toInt(&isIndex);
    if (isIndex && index < 0) {
        return 0;
    }
    int prefixMatch = -1;
    int prefixMatches = 0;
    for (size_t i = 0; i < m_at.size(); ++i) {
        const PowerComponent &c = *m_at[i];
        if (isIndex ? gpuIndex(c.name) == index
                    : c.uuid.compare(device, Qt::CaseInsensitive) == 0) {
            return quint64(1) << i;
        }
        if (!isIndex && !c.uuid.isEmpty() && c.uuid.startsWith(device, Qt::CaseInsensitive)) {
            prefixMatch = static_cast<int>(i);
            ++prefixMatches;
        }
    }
    return prefixMatches == 1 ? quint64(1) << prefixMatch : 0;
}

double DeviceSplit::energyIn(const Gpu &gpu, TimeNs a, TimeNs b) const
{
    const double span = static_cast<double>(m_t1 - m_t0);
    if (gpu.measured) {
        return gpu.joules * static_cast<double>(b - a) / span;
    }
    const double wa = gpu.w0 + (gpu.w1 - gpu.w0) * static_cast<double>(a - m_t0) / span;
    const double wb = gpu.w0 + (gpu.w1 - gpu.w0) * static_cast<double>(b - m_t0) / span;
    return (wa + wb) * 0.5 * static_cast<double>(b - a) / 1e9;
}

bool DeviceSplit::split(const std::vector<Job *> &active, TimeNs a, TimeNs b, double joules,
                        std::vector<double> &shares)
{
    m_activeBits.assign(active.size(), 0);
    quint64 held = 0;
    for (size_t k = 0; k < active.size(); ++k) {
        for (const auto &[job, bits] : m_holds) {
            if (job == active[k]) {
                m_activeBits[k] = bits;
                held |= bits;
                break;
            }
        }
    }
    if (held == 0) {
        return false; // nobody running now holds a GPU: the equal shares stand
    }
    double gpuJoules = 0;
    for (size_t i = 0; i < m_gpus.size(); ++i) {
        if (held & (quint64(1) << i)) {
            gpuJoules += energyIn(m_gpus[i], a, b);
        }
    }
    // The held GPUs cannot draw more than the whole host: scale them down to it.
    const bool clamped = gpuJoules > joules;
    const double scale = clamped ? joules / gpuJoules : 1.0;
    std::fill(shares.begin(), shares.end(), 0.0);
    double claimed = 0;
    for (size_t i = 0; i < m_gpus.size(); ++i) {
        const quint64 bit = quint64(1) << i;
        if (!(held & bit)) {
            continue;
        }
        const double energy = energyIn(m_gpus[i], a, b) * scale;
        claimed += energy;
        const auto holders = std::count_if(m_activeBits.begin(), m_activeBits.end(),
                                           [bit](quint64 bits) { return (bits & bit) != 0; });
        for (size_t k = 0; k < active.size(); ++k) {
            if (m_activeBits[k] & bit) {
                shares[k] += energy / static_cast<double>(holders);
            }
        }
    }
    const double rest = std::max(0.0, joules - claimed) / static_cast<double>(active.size());
    for (double &share : shares) {
        share += rest;
    }
    return clamped;
}

} // namespace greenpulse::core::ledgerdevices
