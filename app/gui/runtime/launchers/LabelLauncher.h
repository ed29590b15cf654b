#pragma once

#include "runtime/launchers/Launcher.h"

namespace greenpulse::app {

class JobController;

// "Label only", the default: Start publishes a job start (the host agents draw more simulated
// power), Stop its end. Nothing runs. Its jobs are stopped by the window as before, so it keeps
// no launches.
class LabelLauncher : public Launcher
{
    Q_OBJECT
public:
    explicit LabelLauncher(JobController &jobs, QObject *parent = nullptr);

    Kind kind() const override { return Kind::Label; }
    void start(const LaunchRequest &request) override;
    bool stop(const QString &jobId) override;

private:
    JobController &m_jobs;
};

} // namespace greenpulse::app
