namespace TestDependency;

public static class Greeting
{
    public static string DriverName() => "needs-dependency";
}
