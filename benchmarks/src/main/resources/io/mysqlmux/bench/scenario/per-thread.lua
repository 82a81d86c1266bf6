-- sysbench's own test script (its path replaces @SCRIPT@), unchanged, plus one line per thread at the
-- end of the run: the events it completed and its errors by code. sysbench's summary gives only the
-- mean and standard deviation of the events per thread ("Threads fairness"); a proxy that serves 16
-- of 64 threads is plainer in the minimum and in how many threads completed nothing.
--
-- With --mysql-ignore-errors=all an error does not end the thread: sysbench restarts the event
-- (before_restart_event is called with the error), so a starved thread shows as few events and many
-- errors, and the restarted event's latency includes every wait that failed.
dofile("@SCRIPT@")

local events, errors, tid = 0, {}, -1
local inner_init, inner_event, inner_done = thread_init, event, thread_done
local inner_restart = sysbench.hooks.before_restart_event

function thread_init(thread_id)
   tid = thread_id
   inner_init(thread_id)
end

function event(...)
   inner_event(...)
   events = events + 1
end

function sysbench.hooks.before_restart_event(err)
   local code = err.sql_errno or -1
   errors[code] = (errors[code] or 0) + 1
   if inner_restart then inner_restart(err) end
end

function thread_done(...)
   local parts = {}
   for code, n in pairs(errors) do parts[#parts + 1] = code .. ":" .. n end
   io.stdout:write(string.format("mysqlmux-thread %d events %d errors %s\n", tid, events, table.concat(parts, ",")))
   io.stdout:flush()
   inner_done(...)
end
