#pragma once
// The contract runner: the sweep of every (endpoint, documented status) row against the chosen
// target, realistic and/or forced, with a progress bar, the green/red matrix (one table per
// service: a row per endpoint, a column per documented status and code) and a click-through from
// each cell to the case's trigger, Check()'s message and the exchanges the case caused.
//
// Targets: a fresh in-process mock made for each run (never the user's mock), run on the UI
// thread within kFrameBudget per frame so the UI stays live; or restbox-mock behind an HTTP-mock
// environment, run on a worker thread (native builds only: in the browser the cases must answer
// synchronously) whose results reach the panel through Model::Post.

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "contract_run.hpp"
#include "panel.hpp"

namespace restbox::console {

class ContractRunnerPanel final : public Panel {
 public:
  ContractRunnerPanel(Model& model, TestHook& hook);
  ~ContractRunnerPanel() override;
  std::string_view Title() const override { return "Contract"; }
  void Draw() override;

  // Time spent running in-process cases per frame.
  static constexpr std::chrono::milliseconds kFrameBudget{8};

 private:
  // A matrix cell: the jobs of one (service, endpoint, column).
  struct Cell {
    std::string column;  // "429", "400-INVALID_TOKEN", "200-1003"
    std::vector<std::size_t> jobs;
  };
  struct EndpointRow {
    std::string endpoint;
    std::vector<Cell> cells;  // in the service table's column order (missing = not documented)
  };
  struct ServiceTable {
    std::string service;
    std::vector<std::string> columns;
    std::vector<EndpointRow> rows;
  };

  void Start();
  void Stop();
  void Finish();
  void RunSomeInProcess();
  void BuildMatrix();
  void PublishState();

  void DrawControls();
  void DrawMatrix(float height);
  void DrawDetails();

  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
  int target_ = 0;  // 0 = fresh in-process mock; i + 1 = model_.environments[i]
  bool realistic_ = true;
  bool forced_ = true;

  std::unique_ptr<ContractRun> run_;       // in-process run (UI thread)
  std::shared_ptr<ContractRun> http_run_;  // HTTP run (worker thread)
  std::thread worker_;
  std::shared_ptr<std::atomic<bool>> stop_;
  std::vector<ContractJob> jobs_;
  std::vector<std::optional<ContractResult>> results_;
  std::size_t next_ = 0;  // in-process: next job to run
  std::size_t done_ = 0;
  std::size_t failed_ = 0;
  bool running_ = false;
  std::string target_name_;
  std::chrono::steady_clock::time_point started_;
  double elapsed_s_ = 0;

  std::vector<ServiceTable> matrix_;
  std::string selected_service_, selected_endpoint_, selected_column_;
};

}  // namespace restbox::console
