import factory

from emergency.org.models import Department, Expert, ExpertPool, OrgUnit, RoleAssignment, User

PASSWORD = "correct-horse-battery-9"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit

    code = factory.Sequence(lambda n: f"unit-{n}")
    name = factory.Sequence(lambda n: f"单位{n}")
    name_en = factory.Sequence(lambda n: f"Unit {n}")
    kind = OrgUnit.Kind.CITY


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    unit = factory.SubFactory(UnitFactory)
    code = factory.Sequence(lambda n: f"dept-{n}")
    name = factory.Sequence(lambda n: f"部门{n}")
    duties = "负责本部门应急工作。"


class ExpertPoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertPool

    unit = factory.SubFactory(UnitFactory)
    name = factory.Sequence(lambda n: f"专家组{n}")


class ExpertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expert

    pool = factory.SubFactory(ExpertPoolFactory)
    name = factory.Sequence(lambda n: f"专家{n}")
    field = "安全生产"
    contact = "0775-0000000"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def user_with_role(role: str, unit: OrgUnit, *, department: Department | None = None, **kwargs) -> User:
    user = UserFactory(**kwargs)
    RoleAssignment.objects.create(user=user, unit=unit, role=role, department=department)
    return user
