#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace greenpulse::app {

class JobsTableModel;

// The jobs table: sortable, filterable, with CSV export.
class JobsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit JobsPanel(QWidget *parent = nullptr);

    JobsTableModel &model() { return *m_model; }
    QTableView *view() const { return m_view; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }

    QString selectedJobId() const;
    QString selectedRunningJobId() const; // empty unless the selected job runs
    void selectJob(const QString &jobId);

    // Asks for a file name, then writes the CSV; errors are shown in a message box.
    void exportCsvInteractive();

signals:
    void selectionChanged();
    void filterChanged(const QString &text); // the filter box's text

private:
    void updateCount();

    JobsTableModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QTableView *m_view = nullptr;
    QLineEdit *m_filter = nullptr;
    QLabel *m_count = nullptr;
};

} // namespace greenpulse::app
