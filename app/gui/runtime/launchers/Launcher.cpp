#include "runtime/launchers/Launcher.h"

#include "accounting/LedgerTypes.h"

namespace greenpulse::app {

void Launcher::observe(const std::vector<core::JobSummary> &) {}

const OutputBuffer *Launcher::output(const QString &) const
{
    return nullptr;
}

const Launch *Launcher::find(const QString &jobId) const
{
    if (jobId.isEmpty()) {
        return nullptr;
    }
    for (const Launch &launch : m_launches) {
        if (launch.jobId == jobId) {
            return &launch;
        }
    }
    return nullptr;
}

Launch *Launcher::findMutable(const QString &jobId)
{
    return const_cast<Launch *>(find(jobId));
}

Launch *Launcher::bySerial(quint64 serial)
{
    for (Launch &launch : m_launches) {
        if (launch.serial == serial) {
            return &launch;
        }
    }
    return nullptr;
}

bool Launcher::canStop(const QString &jobId) const
{
    const Launch *launch = find(jobId);
    return launch && !isFinal(launch->state);
}

Launch &Launcher::add()
{
    // Bounded: the oldest finished launches go first (running ones are never forgotten).
    for (auto it = m_launches.begin();
         m_launches.size() >= kMaxLaunches && it != m_launches.end();) {
        it = isFinal(it->state) ? m_launches.erase(it) : it + 1;
    }
    Launch launch;
    launch.serial = m_nextSerial++;
    m_launches.append(launch);
    return m_launches.last();
}

void Launcher::setState(Launch &launch, LaunchState state, const QString &detail)
{
    if (isFinal(launch.state) || (launch.state == state && launch.detail == detail)) {
        return;
    }
    launch.state = state;
    launch.detail = detail;
    emit changed();
}

} // namespace greenpulse::app
