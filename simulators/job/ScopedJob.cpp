#include "ScopedJob.h"

#include "base/Logging.h"
#include "control/JobPublisher.h"

#include <exception>

namespace greenpulse::core {

ScopedJob::ScopedJob(JobPublisher &publisher, const QString &name, const QString &host,
                     const QStringList &gpus)
    : m_publisher(publisher), m_jobId(publisher.start(name, host, gpus))
{}

ScopedJob::~ScopedJob()
{
    // A destructor must not throw, least of all while an exception is already unwinding.
    try {
        m_publisher.end(m_jobId, m_exitCode);
    } catch (const std::exception &e) {
        qCCritical(lcSim) << "could not publish the end of job" << m_jobId << ":" << e.what();
    } catch (...) {
        qCCritical(lcSim) << "could not publish the end of job" << m_jobId;
    }
}

} // namespace greenpulse::core
