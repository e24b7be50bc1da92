// A bank in two tables: 100 accounts (BankAccount, each starting with 1000) and a ledger
// (BankLedger, one entry per committed transfer). 16 threads each make 100 random transfers as
// write transactions — debit (only if the balance covers it), credit, ledger entry — all applied or
// none. A transfer whose accounts changed meanwhile (a stale version) is reloaded and tried again;
// one the balance cannot cover is refused. Whatever happens on the way, the balances always add up
// to 100,000, none is negative, and the ledger has one entry per committed transfer.
//
// Region, credentials and endpoint come from the environment (AWS_REGION, AWS_ACCESS_KEY_ID, ...,
// AWS_ENDPOINT_URL), as in the quickstart. The tables stay in place; a new run starts the bank
// afresh. `transactions --threads N --transfers M` changes the load.

#include <bloop/bloop.hpp>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

struct BankAccount {
    std::string id;
    std::int64_t balance = 0;
    std::int64_t version = 0;  // optimistic locking: every write checks and increments it
};

struct BankLedger {
    std::string id;
    std::string from;
    std::string to;
    std::int64_t amount = 0;
};

template <>
struct bloop::Model<BankAccount> {
    static constexpr Meta meta{.table_name = "BankAccount"};
    static constexpr auto hash_key = &BankAccount::id;
    static constexpr auto version = &BankAccount::version;
};

template <>
struct bloop::Model<BankLedger> {
    static constexpr Meta meta{.table_name = "BankLedger"};
    static constexpr auto hash_key = &BankLedger::id;
};

namespace {

constexpr int kAccounts = 100;
constexpr std::int64_t kOpening = 1000;

std::string account_id(int i) {
    const std::string n = std::to_string(i);
    return "acct-" + std::string(3 - n.size(), '0') + n;
}

// Empties both tables and opens every account with 1000.
void open_bank(bloop::Engine& engine) {
    std::vector<BankLedger> entries;
    for (const BankLedger& e : engine.scan<BankLedger>({.consistent = true})) entries.push_back(e);
    engine.remove(entries);
    std::vector<BankAccount> old;
    for (const BankAccount& a : engine.scan<BankAccount>({.consistent = true})) old.push_back(a);
    engine.remove(old);  // at the versions just read
    std::vector<BankAccount> accounts;
    for (int i = 0; i < kAccounts; ++i) accounts.push_back({account_id(i), kOpening, 0});
    engine.save(accounts);
}

enum class Outcome { committed, refused };

// One transfer: read both accounts in one snapshot, then write both and the ledger entry in one
// transaction. Stale reads (another transfer got there first) are read again.
Outcome transfer(bloop::Engine& engine, const std::string& from_id, const std::string& to_id,
                 std::int64_t amount, const std::string& entry_id) {
    using bloop::attr;
    for (;;) {
        BankAccount from{from_id};
        BankAccount to{to_id};
        bloop::ReadTransaction(engine).load(from, to).commit();
        from.balance -= amount;
        to.balance += amount;
        BankLedger entry{entry_id, from_id, to_id, amount};
        // One token for every send of this transaction: sent again after a lost answer, it is
        // applied at most once.
        bloop::WriteTransaction tx(engine, {.token = bloop::Uuid::random().to_string()});
        tx.save(from, {.condition = attr<&BankAccount::balance> >= amount})
            .save(to)
            .save(entry, {.condition = attr<&BankLedger::id>.is_missing()});
        for (int send = 1;; ++send) {
            try {
                tx.commit();
                return Outcome::committed;
            } catch (const bloop::TransactionFailed& e) {
                const auto* debit = e.failure_of(from);
                if (debit != nullptr && debit->code == "ConditionalCheckFailed" && !debit->stale)
                    return Outcome::refused;  // the stored balance does not cover the amount
                break;                        // stale or conflicting: read again and retry
            } catch (const bloop::TransportError&) {
                // The client's own retries ran out without an answer: send it again.
                if (send == 3) throw;
            }
        }
    }
}

int flag(int argc, char** argv, const std::string& name, int fallback) {
    for (int i = 1; i + 1 < argc; ++i)
        if (argv[i] == name) return std::atoi(argv[i + 1]);
    return fallback;
}

}  // namespace

int main(int argc, char** argv) try {
    const int threads = flag(argc, argv, "--threads", 16);
    const int transfers = flag(argc, argv, "--transfers", 100);

    bloop::Engine engine;  // region, credentials and endpoint from the environment
    engine.bind<BankAccount, BankLedger>();
    open_bank(engine);
    std::cout << "opened  " << kAccounts << " accounts with " << kOpening << " each in "
              << engine.binding<BankAccount>().table_name << "\n";

    std::atomic<int> committed{0}, refused{0};
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            std::mt19937 rng(static_cast<std::uint32_t>(t + 1));
            std::uniform_int_distribution<int> pick(0, kAccounts - 1);
            std::uniform_int_distribution<std::int64_t> amount(1, 600);
            for (int n = 0; n < transfers; ++n) {
                const int a = pick(rng);
                int b = pick(rng);
                while (b == a) b = pick(rng);
                const auto outcome = transfer(engine, account_id(a), account_id(b), amount(rng),
                                              "t" + std::to_string(t) + "-" + std::to_string(n));
                ++(outcome == Outcome::committed ? committed : refused);
            }
        });
    }
    for (auto& w : workers) w.join();

    // The invariant, as any other client can check it.
    std::int64_t total = 0, lowest = kOpening;
    int accounts = 0;
    for (const BankAccount& a : engine.scan<BankAccount>({.consistent = true})) {
        total += a.balance;
        lowest = std::min(lowest, a.balance);
        ++accounts;
    }
    int ledger = 0;
    for (const BankLedger& e : engine.scan<BankLedger>({.consistent = true})) {
        (void)e;
        ++ledger;
    }
    const bool holds = accounts == kAccounts && total == kAccounts * kOpening && lowest >= 0 &&
                       ledger == committed;
    std::cout << "check   " << (holds ? "holds" : "BROKEN") << ": " << accounts << " accounts hold "
              << total << " in all, the lowest " << lowest << "; the ledger has " << ledger
              << " entries for " << committed << " committed transfers\n";
    std::cout << "transfers: " << committed << " committed, " << refused << " refused\n";
    return holds ? 0 : 1;
} catch (const std::exception& e) {
    std::cerr << "transactions: " << e.what() << "\n";
    return 1;
}
