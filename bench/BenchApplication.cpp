#include "BenchApplication.h"

#include "charts/ChartsPanel.h"

#include <QThread>
#include <chrono>

namespace greenpulse::bench {

BenchApplication::BenchApplication(int &argc, char **argv) : QApplication(argc, argv) {}

void BenchApplication::startMeasuring(app::ChartsPanel *charts)
{
    m_charts = charts;
    m_busyNs = m_maxEventNs = m_refreshes = m_refreshMaxNs = m_refreshTotalNs = 0;
    m_measuring = true;
}

void BenchApplication::stopMeasuring()
{
    m_measuring = false;
}

bool BenchApplication::notify(QObject *receiver, QEvent *event)
{
    if (!m_measuring || m_depth > 0 || QThread::currentThread() != thread()) {
        return QApplication::notify(receiver, event);
    }
    using Clock = std::chrono::steady_clock;
    const quint64 redraws = m_charts ? m_charts->chartDrawCount() : 0;
    ++m_depth;
    const auto begin = Clock::now();
    const bool result = QApplication::notify(receiver, event);
    const qint64 ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - begin).count();
    --m_depth;
    m_busyNs += ns;
    m_maxEventNs = std::max(m_maxEventNs, ns);
    if (m_charts && m_charts->chartDrawCount() != redraws) {
        ++m_refreshes;
        m_refreshTotalNs += ns;
        m_refreshMaxNs = std::max(m_refreshMaxNs, ns);
    }
    return result;
}

} // namespace greenpulse::bench
