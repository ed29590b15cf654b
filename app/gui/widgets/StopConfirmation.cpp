#include "widgets/StopConfirmation.h"

#include "accounting/LedgerTypes.h"
#include "runtime/Format.h"

#include <QCoreApplication>
#include <QMessageBox>
#include <QPushButton>

namespace greenpulse::app {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("StopConfirmation", text);
}

QString hostsOf(const core::JobSummary &job)
{
    QStringList hosts = job.hosts;
    for (const QString &h : job.targetHosts) {
        if (!hosts.contains(h)) {
            hosts << h;
        }
    }
    if (hosts.isEmpty()) {
        return job.targetHost.isEmpty() ? tr("all hosts") : job.targetHost;
    }
    return hosts.join(QStringLiteral(", "));
}

} // namespace

QMessageBox *askToStopJob(QWidget *parent, const QString &jobId, const core::JobSummary *job,
                          std::function<void()> stop)
{
    const QString name = job && !job->name.isEmpty() ? job->name : format::jobName(jobId);
    auto *box = new QMessageBox(QMessageBox::Question, tr("Stop job"), tr("Stop %1?").arg(name),
                                QMessageBox::NoButton, parent);
    box->setObjectName(QStringLiteral("stopConfirmation"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    QString details = tr("Job id: %1").arg(jobId);
    if (job) {
        details += QLatin1Char('\n') + tr("Hosts: %1").arg(hostsOf(*job));
        details += QLatin1Char('\n') +
                   tr("Running for %1, %2 so far")
                       .arg(format::duration(job->durationSeconds), format::kwh(job->kwh));
    }
    box->setInformativeText(details);
    QPushButton *yes = box->addButton(tr("Stop job"), QMessageBox::AcceptRole);
    yes->setObjectName(QStringLiteral("confirmStop"));
    QPushButton *no = box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(no); // Return after Ctrl+. keeps the job running
    box->setEscapeButton(no);
    QObject::connect(box, &QMessageBox::buttonClicked, box,
                     [yes, stop = std::move(stop)](QAbstractButton *clicked) {
                         if (clicked == yes) {
                             stop();
                         }
                     });
    box->open();
    return box;
}

} // namespace greenpulse::app
