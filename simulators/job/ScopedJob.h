#pragma once

#include <QString>
#include <QStringList>
#include <optional>

namespace greenpulse::core {

class JobPublisher;

// RAII job: publishes the start when made and the end when destroyed, also when an exception
// unwinds the scope. The end carries the exit code if one was set.
//
//     ScopedJob job(publisher, QStringLiteral("Initial_Model_Train"), host);
//     job.setExitCode(train());
class ScopedJob
{
public:
    // `gpus`: the devices the job holds on `host` (JobPublisher::start).
    ScopedJob(JobPublisher &publisher, const QString &name, const QString &host = {},
              const QStringList &gpus = {});
    ~ScopedJob();
    ScopedJob(const ScopedJob &) = delete;
    ScopedJob &operator=(const ScopedJob &) = delete;

    const QString &jobId() const { return m_jobId; }
    void setExitCode(int exitCode) { m_exitCode = exitCode; }
    std::optional<int> exitCode() const { return m_exitCode; }

private:
    JobPublisher &m_publisher;
    QString m_jobId;
    std::optional<int> m_exitCode;
};

} // namespace greenpulse::core
