#include "storage/sqlite_store.h"

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

namespace amends {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using IdList = std::vector<int64_t>;

// PruneStream's limit when a test means "everything that is old enough".
constexpr int kAllOfThem = 1'000'000;

constexpr char kToken[] = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

// A fresh directory per test, so tests never see each other's files.
class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::path(::testing::TempDir()) /
           (std::string("amends_sqlite_store_") + info->name() + "_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    ASSERT_TRUE(std::filesystem::create_directories(dir_));
    path_ = (dir_ / "amends.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<SqliteStore> OpenStore() {
    absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(path_);
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? std::move(*store) : nullptr;
  }

  // Runs SQL on the file behind the store's back, to set up what the API cannot.
  void ExecRaw(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    EXPECT_EQ(rc, SQLITE_OK) << (error != nullptr ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);
  }

  std::filesystem::path dir_;
  std::string path_;
};

google::protobuf::Timestamp At(int64_t seconds) {
  google::protobuf::Timestamp t;
  t.set_seconds(seconds);
  return t;
}

constexpr int64_t kMonday1500 = 1717394400;  // 2024-06-03 15:00 JST

// A new incident as the core would produce it: version 1, state REPORTED, with its event.
IncidentWrite NewIncident(const std::string& team, const std::string& reporter,
                          const std::string& client, const std::string& summary,
                          v1::Severity severity = v1::SEVERITY_MEDIUM, bool confidential = false) {
  IncidentWrite w;
  v1::Incident& i = w.incident;
  i.set_team(team);
  i.set_team_time_zone("Asia/Tokyo");
  i.mutable_client()->set_name(client);
  i.set_kind(confidential ? v1::KIND_HARASSMENT : v1::KIND_MISSED_APPOINTMENT);
  i.set_severity(severity);
  i.set_summary(summary);
  i.set_reporter(reporter);
  i.set_owner(reporter);
  i.set_state(v1::STATE_REPORTED);
  i.set_confidential(confidential);
  *i.mutable_created_at() = At(kMonday1500);
  *i.mutable_updated_at() = At(kMonday1500);
  i.set_version(1);
  w.event.set_type(v1::EVENT_TYPE_REPORTED);
  w.event.set_actor(reporter);
  *w.event.mutable_time() = At(kMonday1500);
  w.event.set_to_state(v1::STATE_REPORTED);
  w.event.set_text(summary);
  w.client_key = client;  // already normalised in these tests
  return w;
}

// The next change to a committed incident: version + 1, with a note event.
IncidentWrite NextChange(const v1::Incident& current, const std::string& actor,
                         const std::string& note) {
  IncidentWrite w;
  w.incident = current;
  w.incident.set_version(current.version() + 1);
  *w.incident.mutable_updated_at() = At(current.updated_at().seconds() + 60);
  w.event.set_type(v1::EVENT_TYPE_NOTE_ADDED);
  w.event.set_actor(actor);
  *w.event.mutable_time() = w.incident.updated_at();
  w.event.set_from_state(current.state());
  w.event.set_to_state(current.state());
  w.event.set_text(note);
  w.client_key = current.client().name();
  return w;
}

// A query with the fields `set` sets. (Designated initializers leaving some strings out would
// trip -Wmissing-field-initializers on g++ 12.)
template <typename Set>
IncidentQuery Query(Set set) {
  IncidentQuery q;
  set(q);
  return q;
}

// Every incident in the store, newest first.
std::vector<v1::Incident> AllIncidents(SqliteStore& store) {
  absl::StatusOr<std::vector<v1::Incident>> all = store.ListIncidents(Query([](IncidentQuery& q) {
    q.limit = 1000;
  }));
  EXPECT_TRUE(all.ok()) << all.status();
  return all.ok() ? *all : std::vector<v1::Incident>{};
}

std::vector<int64_t> Ids(const std::vector<v1::Incident>& incidents) {
  std::vector<int64_t> ids;
  for (const auto& i : incidents) ids.push_back(i.id());
  return ids;
}

TEST_F(SqliteStoreTest, OpenCreatesFileAtLatestSchemaVersion) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->SchemaVersion(), SqliteStore::LatestSchemaVersion());
  EXPECT_TRUE(std::filesystem::exists(path_));
}

TEST_F(SqliteStoreTest, OpenInMissingDirectoryFailsClearly) {
  absl::StatusOr<std::unique_ptr<SqliteStore>> store =
      SqliteStore::Open((dir_ / "no" / "such" / "dir" / "amends.db").string());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(store.status().message(), "does not exist"))
      << store.status().message();
}

TEST_F(SqliteStoreTest, TeamsRoundTrip) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->CreateTeam({.name = "営業一課", .time_zone = "Asia/Tokyo"}).ok());
  ASSERT_TRUE(store->CreateTeam({.name = "accounts-emea", .time_zone = "Europe/London"}).ok());

  absl::StatusOr<Team> team = store->GetTeam("営業一課");
  ASSERT_TRUE(team.ok()) << team.status();
  EXPECT_EQ(team->name, "営業一課");
  EXPECT_EQ(team->time_zone, "Asia/Tokyo");

  absl::StatusOr<std::vector<Team>> teams = store->ListTeams();
  ASSERT_TRUE(teams.ok()) << teams.status();
  ASSERT_EQ(teams->size(), 2u);
  EXPECT_EQ((*teams)[0].name, "accounts-emea");
  EXPECT_EQ((*teams)[1].name, "営業一課");

  EXPECT_EQ(store->CreateTeam({.name = "営業一課", .time_zone = "UTC"}).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(store->GetTeam("営業二課").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(SqliteStoreTest, UsersRoundTrip) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->CreateTeam({.name = "営業一課", .time_zone = "Asia/Tokyo"}).ok());
  ASSERT_TRUE(
      store->CreateUser({.name = "tanaka", .team = "営業一課", .role = "member"}, kToken).ok());
  ASSERT_TRUE(store->CreateUser({.name = "佐藤", .team = "営業一課", .role = "manager"}, "").ok());

  absl::StatusOr<User> tanaka = store->GetUser("tanaka");
  ASSERT_TRUE(tanaka.ok()) << tanaka.status();
  EXPECT_EQ(tanaka->team, "営業一課");
  EXPECT_EQ(tanaka->role, "member");
  EXPECT_TRUE(tanaka->has_token);

  absl::StatusOr<User> by_token = store->GetUserByTokenHash(kToken);
  ASSERT_TRUE(by_token.ok()) << by_token.status();
  EXPECT_EQ(by_token->name, "tanaka");

  absl::StatusOr<User> sato = store->GetUser("佐藤");
  ASSERT_TRUE(sato.ok()) << sato.status();
  EXPECT_FALSE(sato->has_token);

  absl::StatusOr<std::vector<User>> users = store->ListUsers();
  ASSERT_TRUE(users.ok()) << users.status();
  ASSERT_EQ(users->size(), 2u);
  EXPECT_EQ((*users)[0].name, "tanaka");
  EXPECT_EQ((*users)[1].name, "佐藤");

  EXPECT_EQ(store->GetUser("suzuki").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(SqliteStoreTest, CreateUserInUnknownTeamIsNotFoundNamingTheTeam) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  absl::Status s = store->CreateUser({.name = "tanaka", .team = "営業九課", .role = "member"}, "");
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(absl::StrContains(s.message(), "営業九課")) << s.message();
}

TEST_F(SqliteStoreTest, CreateUserTwiceOrWithTakenTokenIsAlreadyExists) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->CreateTeam({.name = "sales", .time_zone = "Asia/Tokyo"}).ok());
  ASSERT_TRUE(
      store->CreateUser({.name = "tanaka", .team = "sales", .role = "member"}, kToken).ok());
  absl::Status dup = store->CreateUser({.name = "tanaka", .team = "sales", .role = "admin"}, "");
  EXPECT_EQ(dup.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_TRUE(absl::StrContains(dup.message(), "tanaka")) << dup.message();
  EXPECT_EQ(store->CreateUser({.name = "suzuki", .team = "sales", .role = "member"}, kToken).code(),
            absl::StatusCode::kAlreadyExists);
  // The failed attempts changed nothing.
  absl::StatusOr<User> tanaka = store->GetUser("tanaka");
  ASSERT_TRUE(tanaka.ok());
  EXPECT_EQ(tanaka->role, "member");
  EXPECT_EQ(store->GetUser("suzuki").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(SqliteStoreTest, RevokedTokenIsNotFound) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->CreateTeam({.name = "sales", .time_zone = "Asia/Tokyo"}).ok());
  ASSERT_TRUE(
      store->CreateUser({.name = "tanaka", .team = "sales", .role = "member"}, kToken).ok());

  ASSERT_TRUE(store->SetTokenHash("tanaka", "").ok());
  EXPECT_EQ(store->GetUserByTokenHash(kToken).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store->GetUserByTokenHash("").status().code(), absl::StatusCode::kNotFound);
  absl::StatusOr<User> tanaka = store->GetUser("tanaka");
  ASSERT_TRUE(tanaka.ok());
  EXPECT_FALSE(tanaka->has_token);

  ASSERT_TRUE(store->SetTokenHash("tanaka", "new-hash").ok());
  absl::StatusOr<User> again = store->GetUserByTokenHash("new-hash");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->name, "tanaka");
  EXPECT_EQ(store->SetTokenHash("nobody", "x").code(), absl::StatusCode::kNotFound);
}

TEST_F(SqliteStoreTest, CommitNewIncidentAssignsIdAndSequence) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  IncidentWrite w =
      NewIncident("営業一課", "tanaka", "ＡＢＣ商事", "15時の打ち合わせを失念", v1::SEVERITY_HIGH);
  w.incident.set_details("サンプル受け渡しの予定。17時前に先方から電話あり。部長がお怒り。");
  absl::StatusOr<Committed> c = store->Commit(w);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_GT(c->incident.id(), 0);
  EXPECT_GT(c->event.sequence(), 0);
  EXPECT_EQ(c->event.incident_id(), c->incident.id());

  absl::StatusOr<v1::Incident> stored = store->GetIncident(c->incident.id());
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_TRUE(MessageDifferencer::Equals(*stored, c->incident)) << stored->DebugString();
  EXPECT_EQ(stored->summary(), "15時の打ち合わせを失念");
  EXPECT_EQ(stored->client().name(), "ＡＢＣ商事");

  absl::StatusOr<std::vector<v1::Event>> timeline = store->GetTimeline(c->incident.id(), 0, 0);
  ASSERT_TRUE(timeline.ok()) << timeline.status();
  ASSERT_EQ(timeline->size(), 1u);
  EXPECT_TRUE(MessageDifferencer::Equals((*timeline)[0], c->event));
}

TEST_F(SqliteStoreTest, CommitNextVersionUpdatesIncidentAndAppendsEvent) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  absl::StatusOr<Committed> first =
      store->Commit(NewIncident("営業一課", "tanaka", "ＡＢＣ商事", "15時の打ち合わせを失念"));
  ASSERT_TRUE(first.ok()) << first.status();

  IncidentWrite w = NextChange(first->incident, "tanaka", "当日中に電話でお詫び済み");
  w.incident.set_state(v1::STATE_ESCALATED);
  w.incident.set_escalation_reason("部長が誠意を見せろとのこと");
  w.event.set_to_state(v1::STATE_ESCALATED);
  absl::StatusOr<Committed> second = store->Commit(w);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->incident.version(), 2);
  EXPECT_GT(second->event.sequence(), first->event.sequence());

  absl::StatusOr<v1::Incident> stored = store->GetIncident(first->incident.id());
  ASSERT_TRUE(stored.ok());
  EXPECT_TRUE(MessageDifferencer::Equals(*stored, second->incident));
  absl::StatusOr<std::vector<v1::Event>> timeline = store->GetTimeline(first->incident.id(), 0, 0);
  ASSERT_TRUE(timeline.ok());
  ASSERT_EQ(timeline->size(), 2u);
  EXPECT_EQ((*timeline)[0].sequence(), first->event.sequence());
  EXPECT_EQ((*timeline)[1].text(), "当日中に電話でお詫び済み");

  absl::StatusOr<std::vector<v1::Incident>> escalated =
      store->ListIncidents(Query([](IncidentQuery& q) {
        q.states = {v1::STATE_ESCALATED};
          }));
  ASSERT_TRUE(escalated.ok());
  EXPECT_EQ(Ids(*escalated), (IdList{first->incident.id()}));
}

TEST_F(SqliteStoreTest, CommitWithStaleVersionIsAbortedAndChangesNothing) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  absl::StatusOr<Committed> first =
      store->Commit(NewIncident("営業一課", "tanaka", "ＡＢＣ商事", "15時の打ち合わせを失念"));
  ASSERT_TRUE(first.ok()) << first.status();
  // Two people read version 1; the first change wins.
  ASSERT_TRUE(store->Commit(NextChange(first->incident, "tanaka", "お詫びのメール送付")).ok());

  IncidentWrite stale = NextChange(first->incident, "suzuki", "担当を引き継ぎます");
  stale.incident.set_owner("suzuki");
  absl::StatusOr<Committed> lost = store->Commit(stale);
  ASSERT_FALSE(lost.ok());
  EXPECT_EQ(lost.status().code(), absl::StatusCode::kAborted);
  EXPECT_TRUE(absl::StrContains(lost.status().message(), "changed concurrently"))
      << lost.status().message();

  absl::StatusOr<v1::Incident> stored = store->GetIncident(first->incident.id());
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->version(), 2);
  EXPECT_EQ(stored->owner(), "tanaka");
  absl::StatusOr<std::vector<v1::Event>> timeline = store->GetTimeline(first->incident.id(), 0, 0);
  ASSERT_TRUE(timeline.ok());
  EXPECT_EQ(timeline->size(), 2u);
  absl::StatusOr<std::vector<v1::Incident>> owned =
      store->ListIncidents(Query([](IncidentQuery& q) {
        q.owner = "suzuki";
          }));
  ASSERT_TRUE(owned.ok());
  EXPECT_TRUE((*owned).empty());
}

TEST_F(SqliteStoreTest, CommitToUnknownIncidentIsNotFound) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  IncidentWrite w = NewIncident("営業一課", "tanaka", "ＡＢＣ商事", "15時の打ち合わせを失念");
  w.incident.set_id(42);
  w.incident.set_version(2);
  EXPECT_EQ(store->Commit(w).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store->GetIncident(42).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store->GetTimeline(42, 0, 0).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(SqliteStoreTest, DuplicateRequestIdIsAlreadyExistsAndWritesNothing) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  IncidentWrite w = NewIncident("営業一課", "tanaka", "ＡＢＣ商事", "15時の打ち合わせを失念");
  w.request_id = "req-7f3a";
  absl::StatusOr<Committed> first = store->Commit(w);
  ASSERT_TRUE(first.ok()) << first.status();

  absl::StatusOr<Committed> retry = store->Commit(w);
  ASSERT_FALSE(retry.ok());
  EXPECT_EQ(retry.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Ids(AllIncidents(*store)), (IdList{first->incident.id()}));

  absl::StatusOr<std::optional<v1::Incident>> found = store->FindByRequestId("tanaka", "req-7f3a");
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id(), first->incident.id());

  // The same request_id from another reporter, or no request_id at all, is a new incident.
  IncidentWrite other = w;
  other.incident.set_reporter("suzuki");
  EXPECT_TRUE(store->Commit(other).ok());
  IncidentWrite none = w;
  none.request_id.clear();
  EXPECT_TRUE(store->Commit(none).ok());
  EXPECT_TRUE(store->Commit(none).ok());
  EXPECT_EQ(AllIncidents(*store).size(), 4u);

  absl::StatusOr<std::optional<v1::Incident>> missing = store->FindByRequestId("tanaka", "nope");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

TEST_F(SqliteStoreTest, FailedEventInsertLeavesNeitherIncidentNorEvent) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  absl::StatusOr<Committed> first =
      store->Commit(NewIncident("営業一課", "tanaka", "ＡＢＣ商事", "15時の打ち合わせを失念"));
  ASSERT_TRUE(first.ok()) << first.status();

  // Make every event insert fail after the incident row has been written.
  ExecRaw(
      "CREATE TRIGGER fail_events BEFORE INSERT ON events "
      "BEGIN SELECT RAISE(ABORT, 'injected failure'); END;");

  absl::StatusOr<Committed> created =
      store->Commit(NewIncident("営業一課", "tanaka", "ＸＹＺ物産", "納品遅延"));
  EXPECT_FALSE(created.ok());
  IncidentWrite change = NextChange(first->incident, "tanaka", "お詫びのメール送付");
  change.incident.set_owner("suzuki");
  absl::StatusOr<Committed> updated = store->Commit(change);
  EXPECT_FALSE(updated.ok());
  EXPECT_TRUE(absl::StrContains(updated.status().message(), "injected failure"))
      << updated.status().message();

  EXPECT_EQ(Ids(AllIncidents(*store)), (IdList{first->incident.id()}));
  absl::StatusOr<v1::Incident> stored = store->GetIncident(first->incident.id());
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->version(), 1);
  EXPECT_EQ(stored->owner(), "tanaka");
  absl::StatusOr<std::vector<v1::Event>> timeline = store->GetTimeline(first->incident.id(), 0, 0);
  ASSERT_TRUE(timeline.ok());
  EXPECT_EQ(timeline->size(), 1u);

  // The store is usable again once the cause is gone.
  ExecRaw("DROP TRIGGER fail_events;");
  EXPECT_TRUE(store->Commit(change).ok());
}

TEST_F(SqliteStoreTest, SequenceNumbersStrictlyIncreaseAcrossIncidents) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  std::vector<v1::Incident> incidents;
  for (const char* client : {"ＡＢＣ商事", "ＸＹＺ物産", "Globex"}) {
    absl::StatusOr<Committed> c = store->Commit(NewIncident("sales", "tanaka", client, "遅延"));
    ASSERT_TRUE(c.ok()) << c.status();
    incidents.push_back(c->incident);
  }
  int64_t last = 0;
  for (int round = 0; round < 3; ++round) {
    for (v1::Incident& incident : incidents) {
      absl::StatusOr<Committed> c = store->Commit(NextChange(incident, "tanaka", "経過報告"));
      ASSERT_TRUE(c.ok()) << c.status();
      EXPECT_GT(c->event.sequence(), last);
      last = c->event.sequence();
      incident = c->incident;
    }
  }
  for (const v1::Incident& incident : incidents) {
    absl::StatusOr<std::vector<v1::Event>> timeline = store->GetTimeline(incident.id(), 0, 0);
    ASSERT_TRUE(timeline.ok());
    ASSERT_EQ(timeline->size(), 4u);
    for (size_t i = 1; i < timeline->size(); ++i) {
      EXPECT_GT((*timeline)[i].sequence(), (*timeline)[i - 1].sequence());
      EXPECT_EQ((*timeline)[i].incident_id(), incident.id());
    }
  }
}

TEST_F(SqliteStoreTest, ListIncidentsAppliesEveryFilter) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  auto commit = [&](IncidentWrite w) {
    absl::StatusOr<Committed> c = store->Commit(w);
    EXPECT_TRUE(c.ok()) << c.status();
    return c.ok() ? c->incident.id() : 0;
  };
  const int64_t abc = commit(
      NewIncident("営業一課", "tanaka", "ＡＢＣ商事", "15時の打ち合わせを失念", v1::SEVERITY_HIGH));
  IncidentWrite late =
      NewIncident("営業一課", "suzuki", "ＸＹＺ物産", "報告書の提出遅れ", v1::SEVERITY_CRITICAL);
  late.incident.set_state(v1::STATE_ESCALATED);
  const int64_t xyz = commit(late);
  const int64_t emea =
      commit(NewIncident("accounts-emea", "smith", "Globex", "Late delivery", v1::SEVERITY_LOW));
  const int64_t abc2 =
      commit(NewIncident("営業一課", "suzuki", "ＡＢＣ商事", "納品物の誤り", v1::SEVERITY_MEDIUM));

  auto list = [&](auto set) {
    IncidentQuery q = Query(set);
    absl::StatusOr<std::vector<v1::Incident>> r = store->ListIncidents(q);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? Ids(*r) : std::vector<int64_t>{};
  };
  EXPECT_EQ(list([](IncidentQuery&) {}), (IdList{abc2, emea, xyz, abc}));
  EXPECT_EQ(list([](IncidentQuery& q) { q.team = "営業一課"; }), (IdList{abc2, xyz, abc}));
  EXPECT_EQ(list([](IncidentQuery& q) {
              q.team = "営業一課";
              q.states = {v1::STATE_REPORTED};
            }),
            (IdList{abc2, abc}));
  EXPECT_EQ(list([](IncidentQuery& q) { q.states = {v1::STATE_ESCALATED}; }), (IdList{xyz}));
  EXPECT_EQ(list([](IncidentQuery& q) {
              q.team = "営業一課";
              q.states = {v1::STATE_ESCALATED, v1::STATE_REPORTED};
            }),
            (IdList{abc2, xyz, abc}));
  EXPECT_EQ(list([](IncidentQuery& q) { q.owner = "suzuki"; }), (IdList{abc2, xyz}));
  EXPECT_EQ(list([](IncidentQuery& q) { q.client_key = "ＡＢＣ商事"; }), (IdList{abc2, abc}));
  EXPECT_EQ(list([](IncidentQuery& q) { q.severity = v1::SEVERITY_CRITICAL; }), (IdList{xyz}));
  EXPECT_EQ(list([](IncidentQuery& q) {
              q.team = "営業一課";
              q.owner = "tanaka";
              q.client_key = "ＡＢＣ商事";
              q.severity = v1::SEVERITY_HIGH;
            }),
            (IdList{abc}));
  EXPECT_TRUE(list([](IncidentQuery& q) { q.team = "営業二課"; }).empty());
  EXPECT_EQ(list([](IncidentQuery& q) { q.limit = 2; }), (IdList{abc2, emea}));
  EXPECT_EQ(store->ListIncidents(Query([](IncidentQuery& q) { q.limit = 0; })).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(SqliteStoreTest, ListsConfidentialIncidentsTooForTheCoreToFilter) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  absl::StatusOr<Committed> open =
      store->Commit(NewIncident("営業一課", "tanaka", "ＡＢＣ商事", "15時の打ち合わせを失念"));
  absl::StatusOr<Committed> secret =
      store->Commit(NewIncident("営業一課", "suzuki", "ＸＹＺ物産",
                                "先方担当者からの威圧的な要求", v1::SEVERITY_HIGH, true));
  ASSERT_TRUE(open.ok() && secret.ok());
  absl::StatusOr<std::vector<v1::Incident>> r =
      store->ListIncidents(Query([&](IncidentQuery& q) { q.team = "営業一課"; }));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Ids(*r), (IdList{secret->incident.id(), open->incident.id()}));
}

TEST_F(SqliteStoreTest, KeysetPagingIsNewestFirstWithoutGapsOrDuplicates) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  std::vector<int64_t> before;
  for (int i = 0; i < 7; ++i) {
    absl::StatusOr<Committed> c = store->Commit(
        NewIncident("営業一課", "tanaka", "ＡＢＣ商事", "経過報告の漏れ " + std::to_string(i)));
    ASSERT_TRUE(c.ok()) << c.status();
    before.insert(before.begin(), c->incident.id());  // newest first
  }

  std::vector<int64_t> seen;
  IncidentQuery page_query = Query([](IncidentQuery& q) {
    q.team = "営業一課";
    q.limit = 3;
  });
  for (int page = 0;; ++page) {
    absl::StatusOr<std::vector<v1::Incident>> r = store->ListIncidents(page_query);
    ASSERT_TRUE(r.ok()) << r.status();
    if (r->empty()) break;
    for (const auto& i : *r) seen.push_back(i.id());
    page_query.before_id = r->back().id();
    // New incidents arriving between pages must not shift the pages still to come.
    ASSERT_TRUE(store->Commit(NewIncident("営業一課", "tanaka", "ＡＢＣ商事", "新規")).ok());
    ASSERT_LT(page, 10);
  }
  EXPECT_EQ(seen, before);
}

TEST_F(SqliteStoreTest, DataSurvivesCloseAndReopen) {
  int64_t id = 0;
  {
    auto store = OpenStore();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->CreateTeam({.name = "営業一課", .time_zone = "Asia/Tokyo"}).ok());
    ASSERT_TRUE(
        store->CreateUser({.name = "tanaka", .team = "営業一課", .role = "member"}, kToken).ok());
    absl::StatusOr<Committed> c =
        store->Commit(NewIncident("営業一課", "tanaka", "ＡＢＣ商事", "15時の打ち合わせを失念"));
    ASSERT_TRUE(c.ok()) << c.status();
    id = c->incident.id();
  }
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->SchemaVersion(), SqliteStore::LatestSchemaVersion());
  absl::StatusOr<User> user = store->GetUserByTokenHash(kToken);
  ASSERT_TRUE(user.ok()) << user.status();
  EXPECT_EQ(user->team, "営業一課");
  absl::StatusOr<v1::Incident> incident = store->GetIncident(id);
  ASSERT_TRUE(incident.ok()) << incident.status();
  EXPECT_EQ(incident->summary(), "15時の打ち合わせを失念");
  absl::StatusOr<std::vector<v1::Event>> timeline = store->GetTimeline(id, 0, 0);
  ASSERT_TRUE(timeline.ok());
  EXPECT_EQ(timeline->size(), 1u);
  // Ids and sequences continue after the old ones.
  absl::StatusOr<Committed> next =
      store->Commit(NewIncident("営業一課", "tanaka", "ＸＹＺ物産", "納品遅延"));
  ASSERT_TRUE(next.ok());
  EXPECT_GT(next->incident.id(), id);
  EXPECT_GT(next->event.sequence(), (*timeline)[0].sequence());
}

TEST_F(SqliteStoreTest, OpenMigratesOlderFileAndKeepsData) {
  {
    absl::StatusOr<std::unique_ptr<SqliteStore>> old = SqliteStore::OpenAtVersionForTest(path_, 1);
    ASSERT_TRUE(old.ok()) << old.status();
    EXPECT_EQ((*old)->SchemaVersion(), 1);
  }
  // As version 1 stored them: today's CreateTeam writes columns that version 1 did not have.
  ExecRaw(absl::StrCat(
      "INSERT INTO teams (name, time_zone) VALUES ('営業一課', 'Asia/Tokyo');"
      "INSERT INTO users (name, team, role, token_hash, created_at) VALUES "
      "('tanaka', '営業一課', 'member', '", kToken, "', 0);"));
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->SchemaVersion(), SqliteStore::LatestSchemaVersion());
  absl::StatusOr<User> user = store->GetUserByTokenHash(kToken);
  ASSERT_TRUE(user.ok()) << user.status();
  EXPECT_EQ(user->name, "tanaka");
  // The tables of the later migrations work.
  EXPECT_TRUE(
      store->Commit(NewIncident("営業一課", "tanaka", "ＡＢＣ商事", "15時の打ち合わせを失念"))
          .ok());
}

TEST_F(SqliteStoreTest, UpgradeSetsWhenThePlanWasPresentedFromTheTimeline) {
  int64_t presented = 0, not_presented = 0;
  {
    // As the release before plan_presented_at stored them.
    absl::StatusOr<std::unique_ptr<SqliteStore>> old = SqliteStore::OpenAtVersionForTest(path_, 6);
    ASSERT_TRUE(old.ok()) << old.status();
    ASSERT_TRUE((*old)->CreateTeam({.name = "営業一課", .time_zone = "Asia/Tokyo"}).ok());
    absl::StatusOr<Committed> a =
        (*old)->Commit(NewIncident("営業一課", "sato", "ＡＢＣ商事", "15時の打ち合わせを失念"));
    absl::StatusOr<Committed> b =
        (*old)->Commit(NewIncident("営業一課", "sato", "XYZ物産", "報告書の提出遅れ"));
    ASSERT_TRUE(a.ok() && b.ok());
    presented = a->incident.id();
    not_presented = b->incident.id();
    IncidentWrite plan = NextChange(a->incident, "sato", "");
    plan.incident.set_state(v1::STATE_FOLLOW_UP);
    plan.event.set_type(v1::EVENT_TYPE_PLAN_PRESENTED);
    plan.event.set_to_state(v1::STATE_FOLLOW_UP);
    ASSERT_TRUE((*old)->Commit(plan).ok());
    ASSERT_TRUE((*old)->Commit(NextChange(b->incident, "sato", "メモ")).ok());
  }
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  absl::StatusOr<v1::Incident> a = store->GetIncident(presented);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->plan_presented_at().seconds(), kMonday1500 + 60);
  EXPECT_EQ(a->version(), 2);  // otherwise as it was
  absl::StatusOr<v1::Incident> b = store->GetIncident(not_presented);
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_FALSE(b->has_plan_presented_at());
}

TEST_F(SqliteStoreTest, UpgradeMovesOldCasesToTheStageTheirKindsPlaybookHas) {
  std::map<int64_t, v1::State> want;
  {
    // As the release before playbooks stored them: every kind through the client-facing stages.
    absl::StatusOr<std::unique_ptr<SqliteStore>> old = SqliteStore::OpenAtVersionForTest(path_, 7);
    ASSERT_TRUE(old.ok()) << old.status();
    ASSERT_TRUE((*old)->CreateTeam({.name = "営業一課", .time_zone = "Asia/Tokyo"}).ok());
    const struct {
      v1::Kind kind;
      v1::State was, now;
    } cases[] = {
        {v1::KIND_HARASSMENT, v1::STATE_REPORTED, v1::STATE_ESCALATED},
        {v1::KIND_CONDUCT, v1::STATE_APOLOGY_VISIT, v1::STATE_PREVENTION_PLAN},
        {v1::KIND_HAND_OVER, v1::STATE_ESCALATED, v1::STATE_APOLOGY_VISIT},
        {v1::KIND_HAND_OVER, v1::STATE_PREVENTION_PLAN, v1::STATE_FOLLOW_UP},
        {v1::KIND_HAND_OVER, v1::STATE_CLOSED, v1::STATE_CLOSED},
        {v1::KIND_COMPLAINT, v1::STATE_REPORTED, v1::STATE_REPORTED},
    };
    for (const auto& c : cases) {
      IncidentWrite w = NewIncident("営業一課", "sato", "ＡＢＣ商事", "先方との関係の件");
      w.incident.set_kind(c.kind);
      w.incident.set_state(c.was);
      absl::StatusOr<Committed> done = (*old)->Commit(w);
      ASSERT_TRUE(done.ok()) << done.status();
      want[done->incident.id()] = c.now;
    }
  }
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  std::set<int64_t> woken;
  ASSERT_TRUE(store->ForEachWakeup([&](int64_t id, absl::Time at) {
    if (at == absl::UnixEpoch()) woken.insert(id);
  }).ok());
  for (const auto& [id, state] : want) {
    absl::StatusOr<v1::Incident> i = store->GetIncident(id);
    ASSERT_TRUE(i.ok()) << i.status();
    EXPECT_EQ(i->state(), state) << id;
    absl::StatusOr<std::vector<v1::Incident>> listed =
        store->ListIncidents({.team = "営業一課", .states = {state}});
    ASSERT_TRUE(listed.ok());
    EXPECT_TRUE(std::any_of(listed->begin(), listed->end(),
                            [&](const v1::Incident& l) { return l.id() == id; }))
        << "the state column moved with the incident " << id;
  }
  // The moved ones wait for the scheduler to set their new stage's deadlines.
  EXPECT_EQ(woken, (std::set<int64_t>{1, 2, 3, 4}));
}

TEST_F(SqliteStoreTest, UpgradeMarksOpenIncidentsForTheSchedulerToSetTheirDeadlines) {
  {
    auto old = SqliteStore::OpenAtVersionForTest(path_, 2);
    ASSERT_TRUE(old.ok()) << old.status();
  }
  // Two incidents as the previous release stored them: one open, one closed.
  ExecRaw(
      "INSERT INTO incidents (team, state, owner, reporter, client_key, severity, "
      "confidential, version, data) VALUES "
      "('営業一課', 1, 'sato', 'sato', 'abc商事', 3, 0, 1, x''), "
      "('営業一課', 6, 'sato', 'sato', 'abc商事', 3, 0, 9, x'');");
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  std::vector<std::pair<int64_t, absl::Time>> wakeups;
  ASSERT_TRUE(store->ForEachWakeup([&](int64_t id, absl::Time at) {
    wakeups.emplace_back(id, at);
  }).ok());
  EXPECT_EQ(wakeups, (std::vector<std::pair<int64_t, absl::Time>>{{1, absl::UnixEpoch()}}));
}

TEST_F(SqliteStoreTest, FileFromNewerSchemaIsRefused) {
  { ASSERT_NE(OpenStore(), nullptr); }
  ExecRaw("PRAGMA user_version = 999;");
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(path_);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(store.status().message(), "newer")) << store.status().message();
}

TEST_F(SqliteStoreTest, FileThatIsNotADatabaseIsDataLoss) {
  {
    std::ofstream out(path_);
    out << "議事録: 15時の打ち合わせ\n";
  }
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(path_);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kDataLoss) << store.status();
}

TEST_F(SqliteStoreTest, ReadsProceedWhileCommitsRun) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  absl::StatusOr<Committed> c =
      store->Commit(NewIncident("営業一課", "tanaka", "ＡＢＣ商事", "15時の打ち合わせを失念"));
  ASSERT_TRUE(c.ok());
  std::atomic<bool> stop = false;
  std::atomic<int> read_errors = 0;
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      while (!stop) {
        absl::StatusOr<v1::Incident> i = store->GetIncident(c->incident.id());
        absl::StatusOr<std::vector<v1::Event>> events = store->GetTimeline(c->incident.id(), 0, 0);
        // A reader sees whole commits only: never more events than the version says.
        if (!i.ok() || !events.ok() || static_cast<int64_t>(events->size()) < i->version()) {
          ++read_errors;
        }
      }
    });
  }
  v1::Incident current = c->incident;
  for (int i = 0; i < 50; ++i) {
    absl::StatusOr<Committed> next = store->Commit(NextChange(current, "tanaka", "経過報告"));
    ASSERT_TRUE(next.ok()) << next.status();
    current = next->incident;
  }
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(read_errors, 0);
}

// --- The stream's replay window ---

// The whole retained window after `after`, read in one page.
StreamPage ReadAll(SqliteStore& store, int64_t after = 0) {
  absl::StatusOr<StreamPage> page = store.ReadStream(after, 100000);
  EXPECT_TRUE(page.ok()) << page.status();
  return page.ok() ? *page : StreamPage{};
}

std::vector<int64_t> Sequences(const StreamPage& page) {
  std::vector<int64_t> sequences;
  for (const Committed& c : page.entries) sequences.push_back(c.event.sequence());
  return sequences;
}

TEST_F(SqliteStoreTest, StreamCarriesEachCommitWithTheIncidentAsThatEventLeftIt) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  absl::StatusOr<Committed> first =
      store->Commit(NewIncident("営業一課", "tanaka", "ＡＢＣ商事", "15時の打ち合わせを失念"));
  ASSERT_TRUE(first.ok()) << first.status();
  IncidentWrite w = NextChange(first->incident, "tanaka", "当日中に電話でお詫び済み");
  w.incident.set_state(v1::STATE_ESCALATED);
  w.event.set_to_state(v1::STATE_ESCALATED);
  absl::StatusOr<Committed> second = store->Commit(w);
  ASSERT_TRUE(second.ok()) << second.status();

  StreamPage page = ReadAll(*store);
  EXPECT_EQ(page.pruned_through, 0);
  ASSERT_EQ(page.entries.size(), 2u);
  // Each entry is exactly what Commit returned: the first still shows version 1 as reported.
  EXPECT_TRUE(MessageDifferencer::Equals(page.entries[0].incident, first->incident))
      << page.entries[0].incident.DebugString();
  EXPECT_TRUE(MessageDifferencer::Equals(page.entries[0].event, first->event));
  EXPECT_EQ(page.entries[0].incident.version(), 1);
  EXPECT_EQ(page.entries[0].incident.state(), v1::STATE_REPORTED);
  EXPECT_GT(page.entries[0].incident.id(), 0);
  EXPECT_TRUE(MessageDifferencer::Equals(page.entries[1].incident, second->incident));
  EXPECT_TRUE(MessageDifferencer::Equals(page.entries[1].event, second->event));
  EXPECT_EQ(page.entries[1].incident.version(), 2);
  EXPECT_EQ(page.entries[1].incident.state(), v1::STATE_ESCALATED);
  EXPECT_EQ(page.entries[1].event.text(), "当日中に電話でお詫び済み");
  EXPECT_EQ(Sequences(page), (IdList{first->event.sequence(), second->event.sequence()}));
}

TEST_F(SqliteStoreTest, StreamPagesFollowOnWithoutGapsOrDuplicates) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  std::vector<int64_t> committed;
  for (int i = 0; i < 7; ++i) {
    absl::StatusOr<Committed> c = store->Commit(
        NewIncident("営業一課", "tanaka", "ＡＢＣ商事", "経過報告の漏れ " + std::to_string(i)));
    ASSERT_TRUE(c.ok()) << c.status();
    committed.push_back(c->event.sequence());
  }

  std::vector<int64_t> seen;
  int64_t cursor = 0;
  for (int page = 0;; ++page) {
    absl::StatusOr<StreamPage> r = store->ReadStream(cursor, 3);
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_LE(r->entries.size(), 3u);
    if (r->entries.empty()) break;
    for (const Committed& c : r->entries) seen.push_back(c.event.sequence());
    cursor = r->entries.back().event.sequence();
    ASSERT_LT(page, 10);
  }
  EXPECT_EQ(seen, committed);

  // A cursor in the middle returns what follows it; limit 0 returns only pruned_through.
  absl::StatusOr<StreamPage> middle = store->ReadStream(committed[2], 2);
  ASSERT_TRUE(middle.ok()) << middle.status();
  EXPECT_EQ(Sequences(*middle), (IdList{committed[3], committed[4]}));
  absl::StatusOr<StreamPage> none = store->ReadStream(0, 0);
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_TRUE(none->entries.empty());
  EXPECT_EQ(none->pruned_through, 0);
  EXPECT_EQ(store->ReadStream(0, -1).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(SqliteStoreTest, StreamHasEveryCommitAllEntryInOrderAndNothingFromFailedCommits) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  absl::StatusOr<std::vector<Committed>> batch = store->CommitAll(
      {NewIncident("営業一課", "tanaka", "ＡＢＣ商事", "15時の打ち合わせを失念"),
       NewIncident("営業一課", "suzuki", "ＸＹＺ物産", "報告書の提出遅れ"),
       NewIncident("accounts-emea", "smith", "Globex", "Late delivery")});
  ASSERT_TRUE(batch.ok()) << batch.status();
  ASSERT_EQ(batch->size(), 3u);

  StreamPage page = ReadAll(*store);
  ASSERT_EQ(page.entries.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_TRUE(MessageDifferencer::Equals(page.entries[i].incident, (*batch)[i].incident));
    EXPECT_TRUE(MessageDifferencer::Equals(page.entries[i].event, (*batch)[i].event));
  }

  // A stale version is refused and leaves no trace in the stream.
  ASSERT_TRUE(store->Commit(NextChange((*batch)[0].incident, "tanaka", "お詫びのメール送付")).ok());
  absl::StatusOr<Committed> stale =
      store->Commit(NextChange((*batch)[0].incident, "suzuki", "担当を引き継ぎます"));
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted);
  // So does a batch with one stale change in it, including its good changes.
  absl::StatusOr<std::vector<Committed>> bad_batch =
      store->CommitAll({NextChange((*batch)[1].incident, "suzuki", "経過報告"),
                        NextChange((*batch)[0].incident, "suzuki", "担当を引き継ぎます")});
  EXPECT_EQ(bad_batch.status().code(), absl::StatusCode::kAborted);

  StreamPage after = ReadAll(*store);
  ASSERT_EQ(after.entries.size(), 4u);
  EXPECT_EQ(after.entries[3].event.text(), "お詫びのメール送付");
  EXPECT_EQ(after.entries[3].incident.version(), 2);
}

TEST_F(SqliteStoreTest, WriteRejectedInsideATransactionLeavesNoTraceAndTheOthersCommit) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  absl::StatusOr<Committed> abc =
      store->Commit(NewIncident("営業一課", "tanaka", "ＡＢＣ商事", "15時の打ち合わせを失念"));
  ASSERT_TRUE(abc.ok()) << abc.status();

  absl::StatusOr<Committed> apology, stale, report;
  absl::Status status = store->Transact([&](WriteTransaction& txn) {
    apology = txn.Write(NextChange(abc->incident, "tanaka", "お詫びのメール送付"));
    // Reads inside the transaction see its own write.
    absl::StatusOr<v1::Incident> seen = txn.GetIncident(abc->incident.id());
    EXPECT_TRUE(seen.ok() && seen->version() == 2);
    // Decided on version 1, which the write above replaced.
    stale = txn.Write(NextChange(abc->incident, "suzuki", "担当を引き継ぎます"));
    report = txn.Write(NewIncident("営業一課", "suzuki", "ＸＹＺ物産", "報告書の提出遅れ"));
    return absl::OkStatus();
  });
  ASSERT_TRUE(status.ok()) << status;
  ASSERT_TRUE(apology.ok()) << apology.status();
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted) << stale.status();
  ASSERT_TRUE(report.ok()) << report.status();

  // The rejected change left no event and no stream entry; the sequence has no hole.
  absl::StatusOr<std::vector<v1::Event>> timeline = store->GetTimeline(abc->incident.id(), 0, 0);
  ASSERT_TRUE(timeline.ok());
  ASSERT_EQ(timeline->size(), 2u);
  EXPECT_EQ((*timeline)[1].text(), "お詫びのメール送付");
  EXPECT_EQ(Sequences(ReadAll(*store)),
            (std::vector<int64_t>{abc->event.sequence(), apology->event.sequence(),
                                  report->event.sequence()}));
  EXPECT_EQ(report->event.sequence(), apology->event.sequence() + 1);
  EXPECT_EQ(AllIncidents(*store).size(), 2u);
}

TEST_F(SqliteStoreTest, WriteFailingHalfwayIsUndoneWholeAndTheOthersCommit) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  absl::StatusOr<std::vector<Committed>> three = store->CommitAll(
      {NewIncident("営業一課", "tanaka", "ＡＢＣ商事", "15時の打ち合わせを失念"),
       NewIncident("営業一課", "suzuki", "ＸＹＺ物産", "報告書の提出遅れ"),
       NewIncident("営業一課", "tanaka", "ミドリ精機", "納品遅延")});
  ASSERT_TRUE(three.ok()) << three.status();
  const v1::Incident& failing = (*three)[1].incident;
  // The event insert of one incident fails after its row was already updated.
  ExecRaw(absl::StrCat("CREATE TRIGGER fail_event BEFORE INSERT ON events WHEN NEW.incident_id = ",
                       failing.id(), " BEGIN SELECT RAISE(ABORT, 'disk says no'); END"));

  absl::StatusOr<Committed> first, second, third;
  ASSERT_TRUE(store
                  ->Transact([&](WriteTransaction& txn) {
                    first = txn.Write(NextChange((*three)[0].incident, "tanaka", "お詫びのメール送付"));
                    second = txn.Write(NextChange(failing, "suzuki", "経過報告"));
                    third = txn.Write(NextChange((*three)[2].incident, "tanaka", "先方へ電話"));
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_FALSE(second.ok());
  ASSERT_TRUE(third.ok()) << third.status();

  absl::StatusOr<v1::Incident> stored = store->GetIncident(failing.id());
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->version(), 1);  // its row update was undone with the failed insert
  EXPECT_EQ(store->GetTimeline(failing.id(), 0, 0)->size(), 1u);
  EXPECT_EQ(third->event.sequence(), first->event.sequence() + 1);
  EXPECT_EQ(store->GetIncident((*three)[2].incident.id())->version(), 2);
}

TEST_F(SqliteStoreTest, TransactionSqliteRolledBackByItselfKeepsNothingAndSaysSo) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  absl::StatusOr<std::vector<Committed>> two = store->CommitAll(
      {NewIncident("営業一課", "tanaka", "ＡＢＣ商事", "15時の打ち合わせを失念"),
       NewIncident("営業一課", "suzuki", "ＸＹＺ物産", "報告書の提出遅れ")});
  ASSERT_TRUE(two.ok()) << two.status();
  // As SQLite does on a full disk or an I/O error: the whole transaction is rolled back.
  ExecRaw(absl::StrCat("CREATE TRIGGER roll_back BEFORE INSERT ON events WHEN NEW.incident_id = ",
                       (*two)[1].incident.id(),
                       " BEGIN SELECT RAISE(ROLLBACK, 'disk full'); END"));

  absl::StatusOr<Committed> before, failing, after;
  absl::Status status = store->Transact([&](WriteTransaction& txn) {
    before = txn.Write(NextChange((*two)[0].incident, "tanaka", "お詫びのメール送付"));
    failing = txn.Write(NextChange((*two)[1].incident, "suzuki", "経過報告"));
    // Must not run (and commit) on its own outside the rolled-back transaction.
    after = txn.Write(NewIncident("営業一課", "tanaka", "ミドリ精機", "納品遅延"));
    return absl::OkStatus();
  });
  EXPECT_FALSE(status.ok());
  EXPECT_TRUE(before.ok());
  EXPECT_FALSE(failing.ok());
  EXPECT_FALSE(after.ok());
  EXPECT_EQ(AllIncidents(*store).size(), 2u);
  EXPECT_EQ(store->GetIncident((*two)[0].incident.id())->version(), 1);
  EXPECT_EQ(ReadAll(*store).entries.size(), 2u);
}

TEST_F(SqliteStoreTest, TransactionWhoseBodyFailsKeepsNothing) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  absl::Status status = store->Transact([&](WriteTransaction& txn) {
    EXPECT_TRUE(txn.Write(NewIncident("営業一課", "tanaka", "ＡＢＣ商事", "15時の打ち合わせを失念")).ok());
    return absl::CancelledError("the caller gave up");
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kCancelled);
  EXPECT_TRUE(AllIncidents(*store).empty());
  EXPECT_TRUE(ReadAll(*store).entries.empty());
}

TEST_F(SqliteStoreTest, PruneStreamDropsOldEntriesButNeverTimelines) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  absl::StatusOr<Committed> first =
      store->Commit(NewIncident("営業一課", "tanaka", "ＡＢＣ商事", "15時の打ち合わせを失念"));
  ASSERT_TRUE(first.ok()) << first.status();
  // Three changes a day apart: Monday (the report), Tuesday, Wednesday, Thursday.
  std::vector<Committed> changes = {*first};
  for (int day = 1; day <= 3; ++day) {
    IncidentWrite w = NextChange(changes.back().incident, "tanaka", "経過報告");
    *w.event.mutable_time() = At(kMonday1500 + day * 86400);
    absl::StatusOr<Committed> c = store->Commit(w);
    ASSERT_TRUE(c.ok()) << c.status();
    changes.push_back(*c);
  }

  // Cut off at Wednesday 15:00: Monday's and Tuesday's entries go, Wednesday's stays.
  absl::StatusOr<int64_t> pruned =
      store->PruneStream(absl::FromUnixSeconds(kMonday1500 + 2 * 86400), kAllOfThem);
  ASSERT_TRUE(pruned.ok()) << pruned.status();
  EXPECT_EQ(*pruned, changes[1].event.sequence());

  StreamPage page = ReadAll(*store);
  EXPECT_EQ(page.pruned_through, changes[1].event.sequence());
  EXPECT_EQ(Sequences(page), (IdList{changes[2].event.sequence(), changes[3].event.sequence()}));
  EXPECT_TRUE(MessageDifferencer::Equals(page.entries[0].incident, changes[2].incident));

  // Pruning again with the same cutoff changes nothing.
  absl::StatusOr<int64_t> again =
      store->PruneStream(absl::FromUnixSeconds(kMonday1500 + 2 * 86400), kAllOfThem);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, changes[1].event.sequence());

  // The timeline keeps every event.
  absl::StatusOr<std::vector<v1::Event>> timeline = store->GetTimeline(first->incident.id(), 0, 0);
  ASSERT_TRUE(timeline.ok()) << timeline.status();
  ASSERT_EQ(timeline->size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_TRUE(MessageDifferencer::Equals((*timeline)[i], changes[i].event));
  }
  // New commits still enter the window after a prune.
  absl::StatusOr<Committed> next =
      store->Commit(NextChange(changes.back().incident, "tanaka", "再発防止策を提示"));
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(Sequences(ReadAll(*store)),
            (IdList{changes[2].event.sequence(), changes[3].event.sequence(),
                    next->event.sequence()}));
}

TEST_F(SqliteStoreTest, PruneStreamStopsAtFirstEntryNotOlderEvenIfLaterOnesAre) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  std::vector<int64_t> sequences;
  // Event times out of order, as after a clock step: Monday, Wednesday, then Monday again.
  for (int64_t day : {0, 2, 0}) {
    IncidentWrite w = NewIncident("営業一課", "tanaka", "ＡＢＣ商事", "納品遅延");
    *w.event.mutable_time() = At(kMonday1500 + day * 86400);
    absl::StatusOr<Committed> c = store->Commit(w);
    ASSERT_TRUE(c.ok()) << c.status();
    sequences.push_back(c->event.sequence());
  }
  absl::StatusOr<int64_t> pruned =
      store->PruneStream(absl::FromUnixSeconds(kMonday1500 + 86400), kAllOfThem);
  ASSERT_TRUE(pruned.ok()) << pruned.status();
  EXPECT_EQ(*pruned, sequences[0]);
  StreamPage page = ReadAll(*store);
  EXPECT_EQ(page.pruned_through, sequences[0]);
  EXPECT_EQ(Sequences(page), (IdList{sequences[1], sequences[2]}));
}

// Commits `w` with its event dated `day` days after Monday 15:00; the committed change.
Committed CommitOn(Store& store, IncidentWrite w, int day) {
  *w.event.mutable_time() = At(kMonday1500 + day * 86400);
  absl::StatusOr<Committed> c = store.Commit(w);
  EXPECT_TRUE(c.ok()) << c.status();
  return c.ok() ? *std::move(c) : Committed{};
}

IdList EventSequences(const TeamEvents& found) {
  IdList sequences;
  for (const v1::Event& e : found.events) sequences.push_back(e.sequence());
  return sequences;
}

TEST_F(SqliteStoreTest, EventsSinceAreTheTeamsOfThePeriodNewestFirstWithTheirIncidentsAsNow) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  Committed a = CommitOn(*store, NewIncident("営業一課", "sato", "ＡＢＣ商事", "打ち合わせを失念"), 0);
  Committed b = CommitOn(*store, NewIncident("営業二課", "kato", "東京物流", "納品遅延"), 2);
  Committed a2 = CommitOn(*store, NextChange(a.incident, "sato", "お詫びの電話"), 2);
  Committed c = CommitOn(*store, NewIncident("営業一課", "sato", "XYZ Trading", "見積遅延"), 3);
  CommitOn(*store, NextChange(b.incident, "kato", "先方と協議"), 3);
  Committed a3 = CommitOn(*store, NextChange(a2.incident, "tanaka", "同行訪問を調整"), 3);

  // From Wednesday 15:00: 営業一課's events of Wednesday and Thursday, not its Monday's nor
  // 営業二課's.
  absl::StatusOr<TeamEvents> found =
      store->ListEventsSince("営業一課", absl::FromUnixSeconds(kMonday1500 + 2 * 86400), {});
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(EventSequences(*found),
            (IdList{a3.event.sequence(), c.event.sequence(), a2.event.sequence()}));
  ASSERT_EQ(found->incidents.size(), 2u);
  EXPECT_EQ(found->incidents[0].id(), a.incident.id());
  EXPECT_EQ(found->incidents[0].version(), 3);  // as it is now, not as that event left it
  EXPECT_EQ(found->incidents[1].id(), c.incident.id());
  EXPECT_EQ(found->events[0].text(), "同行訪問を調整");

  // Only the types asked for.
  found = store->ListEventsSince("営業一課", absl::FromUnixSeconds(kMonday1500 + 2 * 86400),
                                 {v1::EVENT_TYPE_REPORTED});
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(EventSequences(*found), (IdList{c.event.sequence()}));
  ASSERT_EQ(found->incidents.size(), 1u);
  EXPECT_EQ(found->incidents[0].summary(), "見積遅延");

  // Nothing since a time after the newest event, nor for a team without incidents.
  found = store->ListEventsSince("営業一課", absl::FromUnixSeconds(kMonday1500 + 4 * 86400), {});
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_TRUE(found->events.empty());
  EXPECT_TRUE(found->incidents.empty());
  found = store->ListEventsSince("営業三課", absl::FromUnixSeconds(kMonday1500), {});
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_TRUE(found->events.empty());
}

TEST_F(SqliteStoreTest, EventsSinceStopAtTheFirstOlderEventReadingBackwards) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  // Event times out of order, as after a clock step: Monday, Wednesday, Monday, Wednesday.
  IdList sequences;
  for (int day : {0, 2, 0, 2}) {
    sequences.push_back(
        CommitOn(*store, NewIncident("営業一課", "sato", "ＡＢＣ商事", "納品遅延"), day)
            .event.sequence());
  }
  absl::StatusOr<TeamEvents> found =
      store->ListEventsSince("営業一課", absl::FromUnixSeconds(kMonday1500 + 86400), {});
  ASSERT_TRUE(found.ok()) << found.status();
  // The newest, then the Monday behind it ends the read: the history before is not read.
  EXPECT_EQ(EventSequences(*found), (IdList{sequences[3]}));
}

TEST_F(SqliteStoreTest, PruneStreamWorksThroughMoreEntriesThanOneBatch) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  // 2500 entries, more than two batches: the first 2100 a week old, the rest from today.
  constexpr int kOld = 2100, kAll = 2500;
  std::vector<IncidentWrite> writes;
  for (int i = 0; i < kAll; ++i) {
    IncidentWrite w = NewIncident("営業一課", "tanaka", "ＡＢＣ商事", "経過報告 " + std::to_string(i));
    *w.event.mutable_time() = At(i < kOld ? kMonday1500 : kMonday1500 + 7 * 86400);
    writes.push_back(std::move(w));
  }
  absl::StatusOr<std::vector<Committed>> batch = store->CommitAll(writes);
  ASSERT_TRUE(batch.ok()) << batch.status();

  // At most as many as asked for, then the rest.
  absl::StatusOr<int64_t> some =
      store->PruneStream(absl::FromUnixSeconds(kMonday1500 + 86400), 1500);
  ASSERT_TRUE(some.ok()) << some.status();
  EXPECT_EQ(*some, (*batch)[1500 - 1].event.sequence());
  absl::StatusOr<int64_t> pruned =
      store->PruneStream(absl::FromUnixSeconds(kMonday1500 + 86400), kAllOfThem);
  ASSERT_TRUE(pruned.ok()) << pruned.status();
  EXPECT_EQ(*pruned, (*batch)[kOld - 1].event.sequence());
  StreamPage page = ReadAll(*store);
  EXPECT_EQ(page.pruned_through, (*batch)[kOld - 1].event.sequence());
  ASSERT_EQ(page.entries.size(), static_cast<size_t>(kAll - kOld));
  EXPECT_EQ(page.entries.front().event.sequence(), (*batch)[kOld].event.sequence());

  // A cutoff after everything empties the window.
  absl::StatusOr<int64_t> all = store->PruneStream(absl::InfiniteFuture(), kAllOfThem);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(*all, batch->back().event.sequence());
  StreamPage empty = ReadAll(*store);
  EXPECT_TRUE(empty.entries.empty());
  EXPECT_EQ(empty.pruned_through, batch->back().event.sequence());
}

TEST_F(SqliteStoreTest, UpgradeStartsTheStreamWindowAfterExistingEvents) {
  {
    auto old = SqliteStore::OpenAtVersionForTest(path_, 3);
    ASSERT_TRUE(old.ok()) << old.status();
  }
  // An incident with two events as the previous release stored them.
  ExecRaw(
      "INSERT INTO incidents (team, state, owner, reporter, client_key, severity, "
      "confidential, version, data) VALUES "
      "('営業一課', 1, 'sato', 'sato', 'abc商事', 3, 0, 2, x'');"
      "INSERT INTO events (incident_id, time_unix_micros, data) VALUES (1, 0, x''), (1, 0, x'');");
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->SchemaVersion(), SqliteStore::LatestSchemaVersion());

  // The old events have no snapshot: a reader from before them is told it missed them.
  StreamPage page = ReadAll(*store);
  EXPECT_EQ(page.pruned_through, 2);
  EXPECT_TRUE(page.entries.empty());
  absl::StatusOr<int64_t> last = store->LastSequence();
  ASSERT_TRUE(last.ok()) << last.status();
  EXPECT_EQ(*last, 2);

  absl::StatusOr<Committed> c =
      store->Commit(NewIncident("営業一課", "tanaka", "ＡＢＣ商事", "15時の打ち合わせを失念"));
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->event.sequence(), 3);
  page = ReadAll(*store, 2);
  EXPECT_EQ(page.pruned_through, 2);
  ASSERT_EQ(page.entries.size(), 1u);
  EXPECT_TRUE(MessageDifferencer::Equals(page.entries[0].incident, c->incident));
}

TEST_F(SqliteStoreTest, LastSequenceIsZeroWhenEmptyThenTheNewestCommitted) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  absl::StatusOr<int64_t> empty = store->LastSequence();
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(*empty, 0);

  absl::StatusOr<Committed> first =
      store->Commit(NewIncident("営業一課", "tanaka", "ＡＢＣ商事", "15時の打ち合わせを失念"));
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<Committed> second =
      store->Commit(NextChange(first->incident, "tanaka", "お詫びのメール送付"));
  ASSERT_TRUE(second.ok()) << second.status();
  absl::StatusOr<int64_t> last = store->LastSequence();
  ASSERT_TRUE(last.ok()) << last.status();
  EXPECT_EQ(*last, second->event.sequence());
  // Pruning the window does not move it.
  ASSERT_TRUE(store->PruneStream(absl::InfiniteFuture(), kAllOfThem).ok());
  last = store->LastSequence();
  ASSERT_TRUE(last.ok()) << last.status();
  EXPECT_EQ(*last, second->event.sequence());
}


// ---------------------------------------------------------------------------------------------
// Notifications: contacts, languages and the outbox

using v1::Notification;

// An outbox row as the server writes it: a mail to `recipient` of `team`, pending from
// `not_before` (Unix seconds).
Notification Mail(const std::string& team, const std::string& recipient,
                  Notification::Reason reason, int64_t not_before, int64_t incident_id = 0) {
  Notification n;
  n.set_incident_id(incident_id);
  n.set_team(team);
  n.set_recipient(recipient);
  n.set_channel("mail");
  n.set_address(recipient + "@example.co.jp");
  n.set_reason(reason);
  n.set_language("ja");
  n.set_subject("[amends] ＡＢＣ商事: 15時の打ち合わせを失念");
  n.set_body("先方部長が立腹。「誠意を見せてほしい」とのこと。");
  n.set_message_id(recipient + "." + std::to_string(not_before) + "@amends");
  *n.mutable_created_at() = At(not_before);
  *n.mutable_not_before() = At(not_before);
  n.set_state(Notification::STATE_PENDING);
  return n;
}

// The same row after a failed attempt at `at`: to be tried again at `next_attempt`.
Notification Retrying(Notification n, int64_t at, int64_t next_attempt) {
  n.set_state(Notification::STATE_RETRYING);
  v1::DeliveryAttempt* a = n.add_attempts();
  *a->mutable_at() = At(at);
  a->set_channel("mail");
  a->set_answer("421 4.7.0 Try again later");
  *n.mutable_next_attempt() = At(next_attempt);
  return n;
}

Notification Added(SqliteStore& store, Notification n) {
  absl::StatusOr<Notification> added = store.AddNotification(std::move(n));
  EXPECT_TRUE(added.ok()) << added.status();
  return added.ok() ? *added : Notification();
}

std::vector<int64_t> Ids(const std::vector<Notification>& rows) {
  std::vector<int64_t> ids;
  for (const Notification& n : rows) ids.push_back(n.id());
  return ids;
}

std::vector<Notification> Listed(SqliteStore& store, const NotificationQuery& query) {
  absl::StatusOr<std::vector<Notification>> rows = store.ListNotifications(query);
  EXPECT_TRUE(rows.ok()) << rows.status();
  return rows.ok() ? *rows : std::vector<Notification>{};
}

std::vector<Notification> OfIncident(SqliteStore& store, int64_t incident_id) {
  NotificationQuery q;
  q.incident_id = incident_id;
  return Listed(store, q);
}

std::vector<int64_t> DueIds(SqliteStore& store, int64_t now, int limit = 100,
                            const std::vector<int64_t>& exclude = {}, bool urgent_only = false) {
  absl::StatusOr<std::vector<Notification>> due =
      store.DueNotifications(absl::FromUnixSeconds(now), limit, exclude, urgent_only);
  EXPECT_TRUE(due.ok()) << due.status();
  return due.ok() ? Ids(*due) : std::vector<int64_t>{};
}

std::optional<absl::Time> NextDue(SqliteStore& store) {
  absl::StatusOr<std::optional<absl::Time>> next = store.NextNotificationDue();
  EXPECT_TRUE(next.ok()) << next.status();
  return next.ok() ? *next : std::nullopt;
}

TEST_F(SqliteStoreTest, OutboxRowsOfAChangeAreWrittenWithItAndKnowTheirIncidentAndEvent) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  // Case 1: sato reports a HIGH missed appointment; both managers are mailed at once.
  IncidentWrite report =
      NewIncident("営業一課", "sato", "ＡＢＣ商事", "15時の打ち合わせを失念", v1::SEVERITY_HIGH);
  Committed seen;
  report.notifications = [&](const Committed& c) -> absl::StatusOr<std::vector<Notification>> {
    seen = c;
    // The store fills in incident_id and sequence, whatever the callback says.
    return std::vector<Notification>{
        Mail("営業一課", "tanaka", Notification::REASON_REPORTED, kMonday1500, 999),
        Mail("営業一課", "suzuki", Notification::REASON_REPORTED, kMonday1500)};
  };
  absl::StatusOr<Committed> reported = store->Commit(report);
  ASSERT_TRUE(reported.ok()) << reported.status();
  EXPECT_EQ(reported->notifications, 2);
  // The callback saw the change as committed: its id and sequence known.
  EXPECT_EQ(seen.incident.id(), reported->incident.id());
  EXPECT_NE(seen.incident.id(), 0);
  EXPECT_EQ(seen.event.sequence(), reported->event.sequence());
  EXPECT_NE(seen.event.sequence(), 0);

  std::vector<Notification> rows = OfIncident(*store, reported->incident.id());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].recipient(), "suzuki");  // newest first
  EXPECT_EQ(rows[1].recipient(), "tanaka");
  EXPECT_NE(rows[0].id(), rows[1].id());
  for (const Notification& n : rows) {
    EXPECT_GT(n.id(), 0);
    EXPECT_EQ(n.incident_id(), reported->incident.id());
    EXPECT_EQ(n.sequence(), reported->event.sequence());
    EXPECT_EQ(n.subject(), "[amends] ＡＢＣ商事: 15時の打ち合わせを失念");
    EXPECT_EQ(n.state(), Notification::STATE_PENDING);
    absl::StatusOr<Notification> got = store->GetNotification(n.id());
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_TRUE(MessageDifferencer::Equals(*got, n)) << got->DebugString();
  }
  // Both are due at once.
  IdList due = DueIds(*store, kMonday1500);
  std::sort(due.begin(), due.end());
  EXPECT_EQ(due, (IdList{rows[1].id(), rows[0].id()}));

  // The next change's rows carry its own sequence.
  IncidentWrite escalate = NextChange(reported->incident, "sato", "上長同行での訪問が必要");
  escalate.notifications = [](const Committed&) -> absl::StatusOr<std::vector<Notification>> {
    return std::vector<Notification>{
        Mail("営業一課", "tanaka", Notification::REASON_APPROVAL_ASKED, kMonday1500 + 60)};
  };
  absl::StatusOr<Committed> escalated = store->Commit(escalate);
  ASSERT_TRUE(escalated.ok()) << escalated.status();
  EXPECT_EQ(escalated->notifications, 1);
  rows = OfIncident(*store, reported->incident.id());
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].reason(), Notification::REASON_APPROVAL_ASKED);
  EXPECT_EQ(rows[0].sequence(), escalated->event.sequence());
  EXPECT_GT(rows[0].id(), rows[1].id());
}

TEST_F(SqliteStoreTest, ChangeWithoutNotificationsWritesNoRows) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  IncidentWrite report = NewIncident("営業一課", "sato", "ＡＢＣ商事", "15時の打ち合わせを失念");
  report.notifications = [](const Committed&) -> absl::StatusOr<std::vector<Notification>> {
    return std::vector<Notification>{};
  };
  absl::StatusOr<Committed> c = store->Commit(report);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->notifications, 0);
  // And one with no callback at all.
  absl::StatusOr<Committed> note = store->Commit(NextChange(c->incident, "sato", "お詫びのメール送付"));
  ASSERT_TRUE(note.ok()) << note.status();
  EXPECT_EQ(note->notifications, 0);
  EXPECT_TRUE(Listed(*store, NotificationQuery()).empty());
}

TEST_F(SqliteStoreTest, FailingOutboxCallbackFailsItsWriteWholeAndTheOthersCommit) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  absl::StatusOr<Committed> abc =
      store->Commit(NewIncident("営業一課", "sato", "ＡＢＣ商事", "15時の打ち合わせを失念"));
  ASSERT_TRUE(abc.ok()) << abc.status();

  absl::StatusOr<Committed> failing, other;
  absl::Status status = store->Transact([&](WriteTransaction& txn) {
    IncidentWrite escalate = NextChange(abc->incident, "sato", "上長同行での訪問が必要");
    escalate.notifications = [](const Committed&) -> absl::StatusOr<std::vector<Notification>> {
      return absl::FailedPreconditionError("team \"営業一課\" has no calendar");
    };
    failing = txn.Write(escalate);
    IncidentWrite report =
        NewIncident("営業一課", "suzuki", "ＸＹＺ物産", "報告書の提出遅れ", v1::SEVERITY_HIGH);
    report.notifications = [](const Committed&) -> absl::StatusOr<std::vector<Notification>> {
      return std::vector<Notification>{
          Mail("営業一課", "tanaka", Notification::REASON_REPORTED, kMonday1500)};
    };
    other = txn.Write(report);
    return absl::OkStatus();
  });
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(failing.status().code(), absl::StatusCode::kFailedPrecondition) << failing.status();
  ASSERT_TRUE(other.ok()) << other.status();

  // Neither the change nor a row of it.
  EXPECT_EQ(store->GetIncident(abc->incident.id())->version(), 1);
  EXPECT_EQ(store->GetTimeline(abc->incident.id(), 0, 0)->size(), 1u);
  EXPECT_TRUE(OfIncident(*store, abc->incident.id()).empty());
  EXPECT_EQ(Sequences(ReadAll(*store)),
            (std::vector<int64_t>{abc->event.sequence(), other->event.sequence()}));
  // The other write of the same transaction kept its change and its row.
  EXPECT_EQ(other->notifications, 1);
  std::vector<Notification> rows = OfIncident(*store, other->incident.id());
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].recipient(), "tanaka");
  EXPECT_EQ(rows[0].sequence(), other->event.sequence());
}

TEST_F(SqliteStoreTest, OutboxRowFailingHalfwayTakesTheChangeAndTheRowsBeforeItWithIt) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  absl::StatusOr<Committed> abc =
      store->Commit(NewIncident("営業一課", "sato", "ＡＢＣ商事", "15時の打ち合わせを失念"));
  ASSERT_TRUE(abc.ok()) << abc.status();
  // The second row's insert fails after the first was written.
  ExecRaw("CREATE TRIGGER fail_row BEFORE INSERT ON notifications WHEN NEW.team = 'broken' "
          "BEGIN SELECT RAISE(ABORT, 'disk says no'); END");
  IncidentWrite escalate = NextChange(abc->incident, "sato", "上長同行での訪問が必要");
  escalate.notifications = [](const Committed&) -> absl::StatusOr<std::vector<Notification>> {
    return std::vector<Notification>{
        Mail("営業一課", "tanaka", Notification::REASON_APPROVAL_ASKED, kMonday1500),
        Mail("broken", "suzuki", Notification::REASON_APPROVAL_ASKED, kMonday1500)};
  };
  EXPECT_FALSE(store->Commit(escalate).ok());
  EXPECT_EQ(store->GetIncident(abc->incident.id())->version(), 1);
  EXPECT_EQ(store->GetTimeline(abc->incident.id(), 0, 0)->size(), 1u);
  EXPECT_TRUE(Listed(*store, NotificationQuery()).empty());
  EXPECT_EQ(NextDue(*store), std::nullopt);
}

TEST_F(SqliteStoreTest, WriteRejectedForAStaleVersionWritesNoRows) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  absl::StatusOr<Committed> abc =
      store->Commit(NewIncident("営業一課", "sato", "ＡＢＣ商事", "15時の打ち合わせを失念"));
  ASSERT_TRUE(abc.ok()) << abc.status();
  ASSERT_TRUE(store->Commit(NextChange(abc->incident, "sato", "お詫びのメール送付")).ok());

  // suzuki decided on version 1, which is gone.
  int calls = 0;
  IncidentWrite stale = NextChange(abc->incident, "suzuki", "担当を引き継ぎます");
  stale.notifications = [&](const Committed&) -> absl::StatusOr<std::vector<Notification>> {
    ++calls;
    return std::vector<Notification>{
        Mail("営業一課", "sato", Notification::REASON_HANDED_OVER, kMonday1500)};
  };
  absl::StatusOr<Committed> rejected = store->Commit(stale);
  EXPECT_EQ(rejected.status().code(), absl::StatusCode::kAborted) << rejected.status();
  // The callback is for changes as committed; this one never was.
  EXPECT_EQ(calls, 0);
  EXPECT_TRUE(Listed(*store, NotificationQuery()).empty());
  EXPECT_EQ(NextDue(*store), std::nullopt);
}

TEST_F(SqliteStoreTest, DueNotificationsArePendingAndRetryingOnesWhoseTimeCameSoonestFirst) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  const int64_t now = kMonday1500;
  EXPECT_EQ(NextDue(*store), std::nullopt);

  // Waiting for the recipient's working hours.
  const int64_t later = Added(*store, Mail("営業一課", "tanaka", Notification::REASON_APPROVED,
                                           now + 600)).id();
  const int64_t pending = Added(*store, Mail("営業一課", "suzuki", Notification::REASON_REPORTED,
                                             now - 60)).id();
  // Retrying: due at next_attempt, whatever its not_before said.
  const int64_t retry_due = Added(*store, Retrying(Mail("営業一課", "sato",
                                                        Notification::REASON_REMINDER, now - 30),
                                                   now - 200, now - 120)).id();
  const int64_t retry_later = Added(*store, Retrying(Mail("営業一課", "yamada",
                                                          Notification::REASON_REMINDER,
                                                          now - 1000),
                                                     now - 900, now + 60)).id();
  // Done with, long ago: never due.
  Notification sent = Mail("営業一課", "tanaka", Notification::REASON_REPORTED, now - 5000);
  sent.set_state(Notification::STATE_SENT);
  Added(*store, sent);
  Notification failed = Mail("営業一課", "ito", Notification::REASON_BREACH, now - 4000);
  failed.set_state(Notification::STATE_FAILED);
  Added(*store, failed);
  // Being sent right now by another attempt.
  const int64_t in_flight = Added(*store, Mail("営業一課", "kato", Notification::REASON_BREACH,
                                               now - 90)).id();
  // Due exactly now.
  const int64_t at_now = Added(*store, Mail("営業一課", "mori", Notification::REASON_APPROVED,
                                            now)).id();

  EXPECT_EQ(DueIds(*store, now), (IdList{retry_due, in_flight, pending, at_now}));
  EXPECT_EQ(DueIds(*store, now, 100, {in_flight}), (IdList{retry_due, pending, at_now}));
  // The limit counts what is returned, not what is skipped.
  EXPECT_EQ(DueIds(*store, now, 2, {in_flight}), (IdList{retry_due, pending}));
  EXPECT_EQ(DueIds(*store, now - 121), IdList{});
  EXPECT_EQ(DueIds(*store, now + 600),
            (IdList{retry_due, in_flight, pending, at_now, retry_later, later}));

  // The earliest due time of a row still to send; sent and failed ones do not count.
  EXPECT_EQ(NextDue(*store), absl::FromUnixSeconds(now - 120));
}

TEST_F(SqliteStoreTest, UrgentNotificationsComeFirstAndAloneWhenAskedFor) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  const int64_t now = kMonday1500;
  const int64_t routine = Added(*store, Mail("営業一課", "sato", Notification::REASON_REMINDER,
                                             now - 600)).id();
  Notification tell = Mail("営業一課", "tanaka", Notification::REASON_REPORTED, now - 10);
  tell.set_urgent(true);
  const int64_t urgent = Added(*store, tell).id();
  EXPECT_EQ(DueIds(*store, now), (IdList{urgent, routine}));  // though due later
  EXPECT_EQ(DueIds(*store, now, 100, {}, /*urgent_only=*/true), IdList{urgent});
  EXPECT_EQ(DueIds(*store, now, 100, {urgent}, /*urgent_only=*/true), IdList{});
}

TEST_F(SqliteStoreTest, UpdatedNotificationMovesItsDueTimeAndOnceSentIsNeverDueAgain) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  const int64_t now = kMonday1500;
  Notification n = Added(*store, Mail("営業一課", "tanaka", Notification::REASON_REPORTED, now));
  Notification other =
      Added(*store, Mail("営業一課", "suzuki", Notification::REASON_REPORTED, now + 3600));
  ASSERT_EQ(DueIds(*store, now), IdList{n.id()});

  // The mail server said "try later": due again in five minutes, not now.
  Notification retrying = Retrying(n, now, now + 300);
  ASSERT_TRUE(store->UpdateNotifications({retrying}).ok());
  EXPECT_EQ(DueIds(*store, now), IdList{});
  EXPECT_EQ(DueIds(*store, now + 300), IdList{n.id()});
  EXPECT_EQ(NextDue(*store), absl::FromUnixSeconds(now + 300));
  absl::StatusOr<Notification> stored = store->GetNotification(n.id());
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->state(), Notification::STATE_RETRYING);
  ASSERT_EQ(stored->attempts_size(), 1);
  EXPECT_EQ(stored->attempts(0).answer(), "421 4.7.0 Try again later");

  // Delivered on the second attempt.
  Notification sent = retrying;
  sent.set_state(Notification::STATE_SENT);
  v1::DeliveryAttempt* a = sent.add_attempts();
  *a->mutable_at() = At(now + 300);
  a->set_channel("mail");
  a->set_answer("250 2.0.0 OK");
  ASSERT_TRUE(store->UpdateNotifications({sent}).ok());
  EXPECT_EQ(DueIds(*store, now + 86400 * 365), IdList{other.id()});
  EXPECT_EQ(NextDue(*store), absl::FromUnixSeconds(now + 3600));
  stored = store->GetNotification(n.id());
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->state(), Notification::STATE_SENT);
  EXPECT_EQ(stored->attempts_size(), 2);
  NotificationQuery q;
  q.state = Notification::STATE_SENT;
  EXPECT_EQ(Ids(Listed(*store, q)), IdList{n.id()});

  // Given up on the other: failed is never due either.
  Notification gave_up = other;
  gave_up.set_state(Notification::STATE_FAILED);
  ASSERT_TRUE(store->UpdateNotifications({gave_up}).ok());
  EXPECT_EQ(DueIds(*store, now + 86400 * 365), IdList{});
  EXPECT_EQ(NextDue(*store), std::nullopt);
}

TEST_F(SqliteStoreTest, UpdatingAnUnknownNotificationIsNotFoundAndChangesNoneOfTheOthers) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  const int64_t now = kMonday1500;
  Notification tanaka = Added(*store, Mail("営業一課", "tanaka", Notification::REASON_REPORTED, now));
  Notification suzuki =
      Added(*store, Mail("営業一課", "suzuki", Notification::REASON_REPORTED, now + 1));
  Notification sent = tanaka;
  sent.set_state(Notification::STATE_SENT);
  Notification ghost = Mail("営業一課", "sato", Notification::REASON_REPORTED, now);
  ghost.set_id(suzuki.id() + 100);
  ghost.set_state(Notification::STATE_SENT);

  absl::Status s = store->UpdateNotifications({sent, ghost});
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound) << s;
  EXPECT_EQ(store->GetNotification(ghost.id()).status().code(), absl::StatusCode::kNotFound);
  // The update before it in the same call was undone with it.
  absl::StatusOr<Notification> stored = store->GetNotification(tanaka.id());
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->state(), Notification::STATE_PENDING);
  EXPECT_EQ(DueIds(*store, now + 1), (IdList{tanaka.id(), suzuki.id()}));
  EXPECT_EQ(store->GetNotification(9999).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(SqliteStoreTest, ListNotificationsFiltersByIncidentTeamsAndStateNewestFirst) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  const int64_t t = kMonday1500;
  const int64_t a = Added(*store, Mail("営業一課", "tanaka", Notification::REASON_REPORTED, t, 1)).id();
  Notification failed = Mail("営業一課", "sato", Notification::REASON_APPROVED, t + 1, 1);
  failed.set_state(Notification::STATE_FAILED);
  const int64_t b = Added(*store, failed).id();
  const int64_t c =
      Added(*store, Mail("営業二課", "ito", Notification::REASON_REPORTED, t + 2, 2)).id();
  const int64_t d = Added(*store, Mail("sales-directors", "kato",
                                       Notification::REASON_APPROVAL_ASKED, t + 3, 1)).id();
  const int64_t test_message =
      Added(*store, Mail("営業二課", "ito", Notification::REASON_TEST, t + 4)).id();

  EXPECT_EQ(Ids(Listed(*store, NotificationQuery())), (IdList{test_message, d, c, b, a}));
  NotificationQuery q;
  q.incident_id = 1;
  EXPECT_EQ(Ids(Listed(*store, q)), (IdList{d, b, a}));
  q = NotificationQuery();
  q.teams = {"営業一課", "sales-directors"};
  EXPECT_EQ(Ids(Listed(*store, q)), (IdList{d, b, a}));
  q.teams = {"営業二課"};
  EXPECT_EQ(Ids(Listed(*store, q)), (IdList{test_message, c}));
  q = NotificationQuery();
  q.state = Notification::STATE_FAILED;
  EXPECT_EQ(Ids(Listed(*store, q)), IdList{b});
  q.state = Notification::STATE_PENDING;
  q.incident_id = 1;
  q.teams = {"営業一課"};
  EXPECT_EQ(Ids(Listed(*store, q)), IdList{a});
  q = NotificationQuery();
  q.limit = 2;
  EXPECT_EQ(Ids(Listed(*store, q)), (IdList{test_message, d}));
  q.teams = {"営業三課"};
  EXPECT_EQ(Ids(Listed(*store, q)), IdList{});
}

TEST_F(SqliteStoreTest, AddedTestMessageRoundTripsWithItsAttempts) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  Notification n = Retrying(Mail("営業一課", "tanaka", Notification::REASON_TEST, kMonday1500),
                            kMonday1500, kMonday1500 + 60);
  absl::StatusOr<Notification> added = store->AddNotification(n);
  ASSERT_TRUE(added.ok()) << added.status();
  EXPECT_GT(added->id(), 0);
  n.set_id(added->id());
  EXPECT_TRUE(MessageDifferencer::Equals(*added, n));
  absl::StatusOr<Notification> got = store->GetNotification(added->id());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_TRUE(MessageDifferencer::Equals(*got, n)) << got->DebugString();
  // Survives a restart, and a new row never takes its id.
  store.reset();
  store = OpenStore();
  ASSERT_NE(store, nullptr);
  got = store->GetNotification(added->id());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->recipient(), "tanaka");
  EXPECT_GT(Added(*store, Mail("営業一課", "suzuki", Notification::REASON_TEST, kMonday1500)).id(),
            added->id());
}

TEST_F(SqliteStoreTest, UpgradeFromVersion4KeepsUsersWithNoMailAddressOrLanguage) {
  {
    auto old = SqliteStore::OpenAtVersionForTest(path_, 4);
    ASSERT_TRUE(old.ok()) << old.status();
    EXPECT_EQ((*old)->SchemaVersion(), 4);
  }
  // As the previous release stored them (its CreateUser knew no email or language).
  ExecRaw(absl::StrCat(
      "INSERT INTO teams (name, time_zone) VALUES ('営業一課', 'Asia/Tokyo');"
      "INSERT INTO users (name, team, role, token_hash, created_at) VALUES "
      "('sato', '営業一課', 'member', '", kToken, "', 0), "
      "('tanaka', '営業一課', 'manager', NULL, 0);"));
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->SchemaVersion(), SqliteStore::LatestSchemaVersion());
  EXPECT_GE(store->SchemaVersion(), 5);

  absl::StatusOr<std::vector<User>> users = store->ListUsers();
  ASSERT_TRUE(users.ok()) << users.status();
  ASSERT_EQ(users->size(), 2u);
  EXPECT_EQ((*users)[0].name, "sato");
  EXPECT_EQ((*users)[0].role, "member");
  EXPECT_TRUE((*users)[0].has_token);
  EXPECT_EQ((*users)[1].name, "tanaka");
  EXPECT_EQ((*users)[1].role, "manager");
  EXPECT_FALSE((*users)[1].has_token);
  for (const User& u : *users) {
    EXPECT_EQ(u.team, "営業一課");
    EXPECT_EQ(u.email, "") << u.name;
    EXPECT_EQ(u.language, "") << u.name;
  }
  absl::StatusOr<User> by_token = store->GetUserByTokenHash(kToken);
  ASSERT_TRUE(by_token.ok()) << by_token.status();
  EXPECT_EQ(by_token->name, "sato");
  absl::StatusOr<Team> team = store->GetTeam("営業一課");
  ASSERT_TRUE(team.ok()) << team.status();
  EXPECT_EQ(team->language, "");

  // What version 5 added works.
  EXPECT_TRUE(store->SetUserContact({.name = "sato", .email = "sato@example.co.jp"}).ok());
  EXPECT_EQ(store->GetUser("sato")->email, "sato@example.co.jp");
  EXPECT_GT(Added(*store, Mail("営業一課", "sato", Notification::REASON_TEST, kMonday1500)).id(), 0);
}

TEST_F(SqliteStoreTest, ContactAndTeamLanguageRoundTripAndUnknownNamesAreNotFound) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->CreateTeam({.name = "営業一課", .time_zone = "Asia/Tokyo"}).ok());
  ASSERT_TRUE(store->CreateUser({.name = "sato", .team = "営業一課", .role = "member"}, kToken).ok());
  ASSERT_TRUE(store->CreateUser({.name = "tanaka", .team = "営業一課", .role = "manager"}, "").ok());

  // Only email and language change, whatever else the User says.
  ASSERT_TRUE(store
                  ->SetUserContact({.name = "sato",
                                    .team = "営業二課",
                                    .role = "admin",
                                    .email = "sato@example.co.jp",
                                    .language = "ja"})
                  .ok());
  absl::StatusOr<User> sato = store->GetUser("sato");
  ASSERT_TRUE(sato.ok()) << sato.status();
  EXPECT_EQ(sato->email, "sato@example.co.jp");
  EXPECT_EQ(sato->language, "ja");
  EXPECT_EQ(sato->team, "営業一課");
  EXPECT_EQ(sato->role, "member");
  EXPECT_TRUE(sato->has_token);
  // Cleared again: no mail for sato, and the team's language.
  ASSERT_TRUE(store->SetUserContact({.name = "sato"}).ok());
  EXPECT_EQ(store->GetUser("sato")->email, "");
  EXPECT_EQ(store->GetUser("sato")->language, "");

  ASSERT_TRUE(store->SetTeamLanguage("営業一課", "ja").ok());
  EXPECT_EQ(store->GetTeam("営業一課")->language, "ja");
  EXPECT_EQ(store->ListTeams()->at(0).language, "ja");

  EXPECT_EQ(store->SetUserContact({.name = "nobody", .email = "nobody@example.co.jp"}).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(store->SetTeamLanguage("営業三課", "en").code(), absl::StatusCode::kNotFound);
  // Nobody else was touched.
  EXPECT_EQ(store->GetUser("tanaka")->email, "");
  EXPECT_EQ(store->GetTeam("営業一課")->language, "ja");
  EXPECT_EQ(store->GetUser("nobody").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(SqliteStoreTest, TeamUsersInsideATransactionAreThatRoleOfThatTeamOnly) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->CreateTeam({.name = "営業一課", .time_zone = "Asia/Tokyo"}).ok());
  ASSERT_TRUE(store->CreateTeam({.name = "sales-directors", .time_zone = "Asia/Tokyo"}).ok());
  ASSERT_TRUE(store->CreateUser({.name = "tanaka", .team = "営業一課", .role = "manager"}, kToken).ok());
  // Revoked, but still a manager of the team.
  ASSERT_TRUE(store->CreateUser({.name = "suzuki", .team = "営業一課", .role = "manager"}, "").ok());
  ASSERT_TRUE(store->CreateUser({.name = "sato", .team = "営業一課", .role = "member"}, "").ok());
  ASSERT_TRUE(store->CreateUser({.name = "ito", .team = "sales-directors", .role = "manager"}, "").ok());
  ASSERT_TRUE(store->SetUserContact({.name = "tanaka", .email = "tanaka@example.co.jp",
                                     .language = "en"}).ok());

  absl::Status status = store->Transact([&](WriteTransaction& txn) -> absl::Status {
    absl::StatusOr<std::vector<User>> managers = txn.TeamUsers("営業一課", "manager");
    EXPECT_TRUE(managers.ok()) << managers.status();
    if (managers.ok()) {
      EXPECT_EQ(managers->size(), 2u);
      if (managers->size() == 2) {
        EXPECT_EQ((*managers)[0].name, "suzuki");
        EXPECT_FALSE((*managers)[0].has_token);
        EXPECT_EQ((*managers)[1].name, "tanaka");
        EXPECT_EQ((*managers)[1].email, "tanaka@example.co.jp");
        EXPECT_EQ((*managers)[1].language, "en");
      }
    }
    absl::StatusOr<std::vector<User>> members = txn.TeamUsers("営業一課", "member");
    EXPECT_TRUE(members.ok() && members->size() == 1 && (*members)[0].name == "sato");
    absl::StatusOr<std::vector<User>> directors = txn.TeamUsers("sales-directors", "manager");
    EXPECT_TRUE(directors.ok() && directors->size() == 1 && (*directors)[0].name == "ito");
    absl::StatusOr<std::vector<User>> none = txn.TeamUsers("営業三課", "manager");
    EXPECT_TRUE(none.ok() && none->empty());

    absl::StatusOr<User> tanaka = txn.GetUser("tanaka");
    EXPECT_TRUE(tanaka.ok() && tanaka->email == "tanaka@example.co.jp") << tanaka.status();
    EXPECT_EQ(txn.GetUser("nobody").status().code(), absl::StatusCode::kNotFound);
    // A failed read does not break the transaction: a write still goes through.
    absl::StatusOr<Committed> c =
        txn.Write(NewIncident("営業一課", "sato", "ＡＢＣ商事", "15時の打ち合わせを失念"));
    EXPECT_TRUE(c.ok()) << c.status();
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_EQ(AllIncidents(*store).size(), 1u);
}

}  // namespace
}  // namespace amends
