#include "PowerMeter.h"

#include <algorithm>

namespace greenpulse::sim {

namespace {
double seconds(core::TimeNs ns)
{
    return double(ns) * 1e-9;
}
} // namespace

PowerMeter::PowerMeter(std::vector<std::unique_ptr<PowerSource>> sources, QString counterIdBase)
    : m_sources(std::move(sources)), m_counterIdBase(std::move(counterIdBase))
{}

QStringList PowerMeter::sourceNames() const
{
    QStringList names;
    for (const auto &source : m_sources) {
        names << source->name();
    }
    return names;
}

bool PowerMeter::isMeasured() const
{
    return std::all_of(m_sources.begin(), m_sources.end(),
                       [](const auto &source) { return source->isMeasured(); });
}

QString PowerMeter::counterId() const
{
    return QStringLiteral("%1-%2").arg(m_counterIdBase).arg(m_restarts);
}

void PowerMeter::start(core::TimeNs nowNs)
{
    measure(nowNs);
}

ComponentMeasurement PowerMeter::account(const QString &source, const ComponentReading &r,
                                         core::TimeNs nowNs)
{
    State &st = m_state[source + QLatin1Char('/') + r.name];
    const bool first = st.lastNs == 0;
    const double dt = first ? 0.0 : seconds(nowNs - st.lastNs);
    ComponentMeasurement m;
    m.source = source;
    m.name = r.name;
    m.uuid = r.uuid;
    m.error = r.error;
    m.counter = r.energyJ.has_value();
    if (!r.error.isEmpty()) {
        m.watts = st.lastWatts; // held; a counter catches up at its next good read
        if (!m.counter) {
            st.totalJ += st.lastWatts * dt; // an estimate: a power-only reading was missed
            st.lastNs = nowNs;
        }
        m.energyJ = st.totalJ;
        return m;
    }
    if (m.counter) {
        const double energy = *r.energyJ;
        const double dE = st.lastEnergyJ ? std::max(0.0, energy - *st.lastEnergyJ) : 0.0;
        st.totalJ += dE;
        st.lastEnergyJ = energy;
        m.watts = dt > 0 ? dE / dt : st.lastWatts;
        if (r.resets != st.resets) {
            if (!first) {
                ++m_restarts; // the energy across the restart is not all counted
            }
            st.resets = r.resets;
            if (r.watts) {
                m.watts = *r.watts;
            }
        }
    } else {
        m.watts = r.watts.value_or(0.0);
        st.totalJ += m.watts * dt;
    }
    st.lastWatts = m.watts;
    st.lastNs = nowNs;
    m.energyJ = st.totalJ;
    return m;
}

Measurement PowerMeter::measure(core::TimeNs nowNs)
{
    Measurement out;
    out.atNs = nowNs;
    out.intervalS = m_started ? seconds(nowNs - m_lastNs) : 0.0;
    out.sources = sourceNames();
    out.measured = isMeasured();
    for (const auto &source : m_sources) {
        for (const ComponentReading &r : source->read()) {
            const ComponentMeasurement m = account(source->name(), r, nowNs);
            out.watts += m.watts;
            out.energyJ += m.energyJ;
            if (!m.error.isEmpty()) {
                out.errors << QStringLiteral("%1/%2: %3").arg(m.source, m.name, m.error);
            }
            out.components << m;
        }
    }
    out.counterId = counterId();
    m_started = true;
    m_lastNs = nowNs;
    return out;
}

} // namespace greenpulse::sim
