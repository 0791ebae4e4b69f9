using Sandbox.Engine.Tests.Support;

namespace Sandbox.Engine.Tests.Runtime;

public class SmokeTests
{
    [WatFact]
    public void Invoke_Factorial_ReturnsProduct()
    {
        var instance = Wat.Instantiate("""
            (module
              (func $fac (export "fac") (param i64) (result i64)
                (if (result i64) (i64.eqz (local.get 0))
                  (then (i64.const 1))
                  (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1))))))))
            """);
        Assert.Equal(2432902008176640000L, instance.GetFunction("fac")!.Invoke(20L)[0].AsI64());
    }
}
