#include "BenchApplication.h"

#include "charts/ChartsPanel.h"

#include <QThread>
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

} // namespace greenpulse::bench
