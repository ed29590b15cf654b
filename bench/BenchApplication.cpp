#include "BenchApplication.h"

#include "charts/ChartsPanel.h"

#include <QThread>
#include <algorithm>
#include <chrono>
#include <ctime>

namespace greenpulse::bench {

namespace {

qint64 threadCpuNs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<qint64>(ts.tv_sec) * 1'000'000'000LL + ts.tv_nsec;
}

} // namespace

BenchApplication::BenchApplication(int &argc, char **argv) : QApplication(argc, argv) {}

void BenchApplication::startMeasuring(app::ChartsPanel *charts)
{
    m_charts = charts;
    m_maxEventText.clear();
    m_kinds.clear();
    m_busyNs = m_maxEventNs = m_refreshes = m_refreshMaxCpuNs = m_refreshMaxNs = m_refreshTotalNs =
        0;
    m_cpuNs = -threadCpuNs();
    m_measuring = true;
}

void BenchApplication::stopMeasuring()
{
    m_measuring = false;
    m_cpuNs += threadCpuNs();
}

bool BenchApplication::notify(QObject *receiver, QEvent *event)
{
    if (!m_measuring || m_depth > 0 || QThread::currentThread() != thread()) {
        return QApplication::notify(receiver, event);
    }
    using Clock = std::chrono::steady_clock;
    const quint64 redraws = m_charts ? m_charts->chartDrawCount() : 0;
    // Taken before: the receiver may delete itself (DeferredDelete) while it handles the event.
    const char *className = receiver->metaObject()->className();
    const int type = static_cast<int>(event->type());
    ++m_depth;
    const qint64 cpuBegin = threadCpuNs();
    const auto begin = Clock::now();
    const bool result = QApplication::notify(receiver, event);
    const qint64 ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - begin).count();
    const qint64 cpuNs = threadCpuNs() - cpuBegin;
    --m_depth;
    m_busyNs += ns;
    Kind &kind = m_kinds[QStringLiteral("%1/%2").arg(QLatin1String(className)).arg(type)];
    ++kind.events;
    kind.cpuNs += cpuNs;
    if (ns > m_maxEventNs) {
        m_maxEventNs = ns;
        m_maxEventText = QStringLiteral("%1, event type %2, %3 ms of CPU")
                             .arg(QLatin1String(className))
                             .arg(type)
                             .arg(static_cast<double>(cpuNs) / 1e6, 0, 'f', 1);
    }
    if (m_charts && m_charts->chartDrawCount() != redraws) {
        ++m_refreshes;
        m_refreshTotalNs += ns;
        m_refreshMaxNs = std::max(m_refreshMaxNs, ns);
        m_refreshMaxCpuNs = std::max(m_refreshMaxCpuNs, cpuNs);
    }
    return result;
}

QStringList BenchApplication::topEventKinds(int count) const
{
    QVector<QPair<qint64, QString>> kinds;
    for (auto it = m_kinds.begin(); it != m_kinds.end(); ++it) {
        kinds.append({it->cpuNs, QStringLiteral("%1: %2 events, %3 ms of CPU")
                                     .arg(it.key())
                                     .arg(it->events)
                                     .arg(static_cast<double>(it->cpuNs) / 1e6, 0, 'f', 0)});
    }
    std::sort(kinds.begin(), kinds.end(),
              [](const auto &a, const auto &b) { return a.first > b.first; });
    QStringList out;
    for (int i = 0; i < std::min(count, static_cast<int>(kinds.size())); ++i) {
        out << kinds.at(i).second;
    }
    return out;
}

} // namespace greenpulse::bench
