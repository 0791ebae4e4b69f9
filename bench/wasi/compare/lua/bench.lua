local function fib(n) if n < 2 then return n end return fib(n-1) + fib(n-2) end
local t = {}
for i = 1, 200000 do t[i] = (i * 7919) % 1000 end
table.sort(t)
local s = 0
for i = 1, #t do s = s + t[i] end
local parts = {}
for i = 1, 20000 do parts[#parts+1] = string.format("%d:%s", i, tostring(i*3)) end
local str = table.concat(parts, ",")
local count = 0
for w in string.gmatch(str, "%d+") do count = count + 1 end
print(fib(27), s, #str, count)
