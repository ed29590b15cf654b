#include "runtime/launchers/LabelLauncher.h"

#include "runtime/JobController.h"

namespace greenpulse::app {

LabelLauncher::LabelLauncher(JobController &jobs, QObject *parent) : Launcher(parent), m_jobs(jobs)
{}

void LabelLauncher::start(const LaunchRequest &request)
{
    emit started(m_jobs.startJob(request.name, request.host));
}

bool LabelLauncher::stop(const QString &)
{
    return false; // the window ends the selected job itself (JobController::endJob)
}

} // namespace greenpulse::app
