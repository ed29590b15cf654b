#include "runtime/FactorChanges.h"

#include "pipeline/ProcessorSnapshot.h"
#include "runtime/Format.h"

#include <algorithm>

namespace greenpulse::app {

bool FactorChanges::update(const core::ProcessorSnapshot &snapshot)
{
    const quint64 before = m_added;
    const bool named = !snapshot.zones.empty();
    for (const core::ZoneSummary &zone : snapshot.zones) {
        if (zone.zone.isEmpty()) {
            continue;
        }
        const auto known = m_inForce.constFind(zone.zone);
        if (known != m_inForce.constEnd() && known.value() != zone.gCo2ePerKwh) {
            add(static_cast<double>(zone.fromNs / 1'000'000), zone.zone, known.value(),
                zone.gCo2ePerKwh, named);
        }
        m_inForce.insert(zone.zone, zone.gCo2ePerKwh);
    }
    const double constant = snapshot.config.carbonKgPerKwh * 1000;
    const auto known = m_inForce.constFind(QString());
    if (known != m_inForce.constEnd() && known.value() != constant) {
        add(static_cast<double>(snapshot.takenNs / 1'000'000), tr("constant"), known.value(),
            constant, named);
    }
    m_inForce.insert(QString(), constant);
    if (m_changes.size() > kMaxChanges) {
        m_changes.remove(0, m_changes.size() - kMaxChanges);
    }
    return m_added != before;
}

void FactorChanges::add(double atMs, const QString &name, double before, double after, bool named)
{
    const QString values =
        tr("%1 → %2 g/kWh").arg(format::number(before, 0), format::number(after, 0));
    Change change{atMs, named ? name + QStringLiteral(": ") + values : values};
    // In time order (a zone's value may hold from before a change already listed).
    const auto at = std::upper_bound(m_changes.begin(), m_changes.end(), atMs,
                                     [](double x, const Change &c) { return x < c.atMs; });
    m_changes.insert(at, change);
    ++m_added;
}

} // namespace greenpulse::app
